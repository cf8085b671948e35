package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientVerify.Mode;
import dev.proxyline.server.variables.ClientCertificate;
import java.time.Duration;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTlsContextTest {
    private static final TestPki.Issued CA = TestPki.selfSigned("CN=ca", true);
    private static final TestPki.Issued CLIENT = TestPki.client(CA, "CN=client", BigInteger.TEN, Duration.ofDays(1));

    private static ClientCertificate sent(Optional<VerifyFailure> failure) {
        return new ClientCertificate(CLIENT.chain(), failure);
    }

    @Test
    void withoutVerificationNothingIsRefused() {
        assertThat(StreamTlsContext.refusal(Mode.OFF, ClientCertificate.NOT_REQUESTED)).isEmpty();
    }

    @Test
    void onNeedsAVerifiedCertificateOptionalOnlyAVerifiedOneIfAny() {
        ClientCertificate none = new ClientCertificate(List.of(), Optional.empty());
        assertThat(StreamTlsContext.refusal(Mode.ON, none)).contains("client sent no required SSL certificate");
        assertThat(StreamTlsContext.refusal(Mode.OPTIONAL, none)).isEmpty();
        assertThat(StreamTlsContext.refusal(Mode.ON, sent(Optional.empty()))).isEmpty();
        assertThat(StreamTlsContext.refusal(Mode.OPTIONAL, sent(Optional.of(VerifyFailure.DEPTH_ZERO_SELF_SIGNED_CERT))))
                .contains("client SSL certificate verify error: (18:self-signed certificate)");
    }

    @Test
    void optionalNoCaLetsAnUnknownIssuerThroughButNotAnExpiredCertificate() {
        assertThat(StreamTlsContext.refusal(Mode.OPTIONAL_NO_CA,
                sent(Optional.of(VerifyFailure.UNABLE_TO_GET_ISSUER_CERT_LOCALLY)))).isEmpty();
        assertThat(StreamTlsContext.refusal(Mode.OPTIONAL_NO_CA, sent(Optional.of(VerifyFailure.CERT_HAS_EXPIRED))))
                .contains("client SSL certificate verify error: (10:certificate has expired)");
    }
}
