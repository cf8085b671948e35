package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientVerify.Mode;
import dev.proxyline.server.tls.TestPki;
import dev.proxyline.server.variables.ClientCertificate;
import dev.proxyline.server.variables.ClientCertificate.Failure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientCertificateCheckTest {
    private static final TestPki.Issued SOME = TestPki.selfSigned("CN=someone", false);
    private static final ClientCertificate GOOD = new ClientCertificate(SOME.chain(), Optional.empty());
    private static final ClientCertificate NONE = new ClientCertificate(List.of(), Optional.empty());
    private static final ClientCertificate UNKNOWN_ISSUER =
            new ClientCertificate(SOME.chain(), Optional.of(Failure.DEPTH_ZERO_SELF_SIGNED_CERT));
    private static final ClientCertificate EXPIRED =
            new ClientCertificate(SOME.chain(), Optional.of(Failure.CERT_HAS_EXPIRED));

    private static Optional<String> body(Mode mode, ClientCertificate c) {
        return ClientCertificateCheck.check(mode, c).map(ClientCertificateCheck.Refusal::body);
    }

    @Test
    void onNeedsAVerifiedCertificate() {
        assertThat(body(Mode.ON, GOOD)).isEmpty();
        assertThat(body(Mode.ON, NONE)).contains("400 No required SSL certificate was sent\n");
        assertThat(body(Mode.ON, ClientCertificate.NOT_REQUESTED)).contains("400 No required SSL certificate was sent\n");
        assertThat(body(Mode.ON, UNKNOWN_ISSUER)).contains("400 The SSL certificate error\n");
        assertThat(ClientCertificateCheck.check(Mode.ON, UNKNOWN_ISSUER).orElseThrow().log())
                .isEqualTo("client SSL certificate verify error: (18:self-signed certificate)");
    }

    @Test
    void optionalLetsRequestsWithoutCertificateThrough() {
        assertThat(body(Mode.OPTIONAL, NONE)).isEmpty();
        assertThat(body(Mode.OPTIONAL, GOOD)).isEmpty();
        assertThat(body(Mode.OPTIONAL, UNKNOWN_ISSUER)).contains("400 The SSL certificate error\n");
    }

    @Test
    void optionalNoCaLetsUnknownIssuersThroughButNotOtherFailures() {
        assertThat(body(Mode.OPTIONAL_NO_CA, UNKNOWN_ISSUER)).isEmpty();
        assertThat(body(Mode.OPTIONAL_NO_CA, NONE)).isEmpty();
        assertThat(body(Mode.OPTIONAL_NO_CA, EXPIRED)).contains("400 The SSL certificate error\n");
    }

    @Test
    void offChecksNothing() {
        assertThat(body(Mode.OFF, EXPIRED)).isEmpty();
        assertThat(body(Mode.OFF, NONE)).isEmpty();
    }
}
