package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientOcsp;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which certificates of a verified chain ssl_ocsp asks about, as nginx's ngx_ssl_ocsp_validate_next counts them. */
class ClientOcspCheckTest {
    private static ClientOcspCheck check(ClientOcsp.Mode mode) {
        return new ClientOcspCheck(mode, Optional.empty(), Optional.empty(), Optional.empty(), Clock.systemUTC());
    }

    @Test
    void onAsksAboutEveryCertificateButTheTrustAnchor() {
        assertThat(check(ClientOcsp.Mode.ON).asked(2)).isEqualTo(1);
        assertThat(check(ClientOcsp.Mode.ON).asked(4)).isEqualTo(3);
    }

    @Test
    void leafAsksAboutTheClientsOwnOnly() {
        assertThat(check(ClientOcsp.Mode.LEAF).asked(2)).isEqualTo(1);
        assertThat(check(ClientOcsp.Mode.LEAF).asked(4)).isEqualTo(1);
    }

    @Test
    void aTrustedCertificateOnItsOwnIsNotAskedAbout() {
        assertThat(check(ClientOcsp.Mode.ON).asked(1)).isZero();
        assertThat(check(ClientOcsp.Mode.LEAF).asked(1)).isZero();
    }
}
