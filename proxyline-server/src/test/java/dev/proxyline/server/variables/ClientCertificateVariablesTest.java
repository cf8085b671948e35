package dev.proxyline.server.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.TestPki;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCertificateVariablesTest {
    private static final String ALL = "$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial"
            + "|$ssl_client_fingerprint|$ssl_client_v_start|$ssl_client_v_end|$ssl_client_v_remain|$ssl_client_raw_cert"
            + "|$ssl_client_cert|$ssl_client_escaped_cert";
    private static final String[] NAMES = {"ssl_client_verify", "ssl_client_s_dn", "ssl_client_i_dn",
        "ssl_client_serial", "ssl_client_fingerprint", "ssl_client_v_start", "ssl_client_v_end", "ssl_client_v_remain",
        "ssl_client_raw_cert", "ssl_client_cert", "ssl_client_escaped_cert"};

    private static TlsFacts facts(ClientCertificate client) {
        return new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.of("a.test"), Optional.empty(), client);
    }

    @Test
    void aVerifiedCertificateShowsInEveryVariable() {
        TestPki.Issued ca = TestPki.selfSigned("CN=Test Root", true);
        Instant notAfter = Instant.ofEpochMilli(Sessions.NOW).plus(Duration.ofDays(3)).plusSeconds(7);
        TestPki.Issued client = TestPki.issue(ca, "CN=client", BigInteger.valueOf(0xABC), Instant.ofEpochSecond(0),
                notAfter, false, Optional.empty());
        ClientCertificate c = new ClientCertificate(client.chain(), Optional.empty());
        String rendered = Exchanges.get().tls(facts(c)).render(ALL);
        assertThat(rendered).isEqualTo(String.join("|", "SUCCESS", "CN=client", "CN=Test Root", "0ABC",
                c.fingerprint(), "Jan  1 00:00:00 1970 GMT", c.notAfter(), "3", c.pem(), c.tabbedPem(), c.escapedPem()));
    }

    @Test
    void withoutCertificateTheyAreEmptyAndVerifyIsNoneOnPlainConnectionsNotFound() {
        SessionSnapshot none = Exchanges.get().tls(facts(ClientCertificate.NOT_REQUESTED)).snapshot();
        assertThat(Exchanges.render(ALL, none)).isEqualTo("NONE||||||||||");
        SessionSnapshot plain = Exchanges.get().snapshot();
        for (String name : NAMES) {
            StringBuilder out = new StringBuilder();
            Variable v = List.of(HttpVariable.values()).stream().filter(x -> x.variableName().equals(name)).findFirst()
                    .orElseThrow();
            assertThat(v.appendTo(plain, out)).as(name).isFalse();
            assertThat(v.appendTo(none, out)).as(name).isTrue();
        }
    }
}
