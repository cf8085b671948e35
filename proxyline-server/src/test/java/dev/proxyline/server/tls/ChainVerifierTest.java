package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chain check with the TLS server purpose, as {@code proxy_ssl_verify} uses it (the client purpose is
 * {@link ClientVerifierTest}'s), with OpenSSL's verify results as nginx logs them.
 */
class ChainVerifierTest {
    private static final Instant NOW = Instant.now();

    private static List<X509Certificate> chain(CertifiedKey... keys) {
        return Arrays.stream(keys).map(CertifiedKey::leaf).toList();
    }

    private static Optional<String> verify(List<X509Certificate> trusted, int depth, List<X509Certificate> chain,
                                           java.security.cert.X509CRL... crls) {
        return new ChainVerifier(trusted, List.of(crls), depth, ChainVerifier.Purpose.TLS_SERVER).verify(chain, NOW)
                .map(VerifyFailure::describe);
    }

    @Test
    void aSelfSignedCertificateIsTrustedWhenItIsTheTrustedOne() {
        CertifiedKey self = SelfSigned.generate(SelfSigned.KeyType.EC, "backend.test", List.of("backend.test"),
                List.of(), Instant.now(), Duration.ofDays(1));
        CertifiedKey other = SelfSigned.generate(SelfSigned.KeyType.EC, "backend.test", List.of("backend.test"),
                List.of(), Instant.now(), Duration.ofDays(1));
        assertThat(verify(chain(self), 1, chain(self))).isEmpty();
        assertThat(verify(chain(other), 1, chain(self))).contains("(18:self-signed certificate)");
    }

    @Test
    void aCertificateOfATrustedAuthorityIsTrustedAndOneOfAnotherIsNot() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey stranger = TestChains.authority("Other CA");
        CertifiedKey leaf = TestChains.issue(ca, "backend.test", false);
        assertThat(verify(chain(ca), 1, chain(leaf))).isEmpty();
        assertThat(verify(chain(stranger), 1, chain(leaf))).contains("(21:unable to verify the first certificate)");
        assertThat(verify(chain(stranger), 1, chain(leaf, ca)))
                .contains("(19:self-signed certificate in certificate chain)");
    }

    @Test
    void theDepthCountsIntermediateCertificatesAsOpenSsl() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey intermediate = TestChains.issue(ca, "Intermediate CA", true);
        CertifiedKey leaf = TestChains.issue(intermediate, "backend.test", false);
        assertThat(verify(chain(ca), 1, chain(leaf, intermediate))).as("an intermediate that may only sign certificates")
                .isEmpty();
        assertThat(verify(chain(ca), 0, chain(leaf, intermediate)))
                .contains("(20:unable to get local issuer certificate)");
        assertThat(verify(chain(ca), 0, chain(TestChains.issue(ca, "b.test", false)))).isEmpty();
    }

    @Test
    void anExpiredCertificateOfATrustedAuthorityIsRefusedAsExpired() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey leaf = TestChains.issue(ca, "backend.test", false, Date.from(Instant.now().minusSeconds(3600)));
        assertThat(verify(chain(ca), 1, chain(leaf))).contains("(10:certificate has expired)");
    }

    @Test
    void withARevocationListARevokedCertificateIsRefused() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey good = TestChains.issue(ca, "good.test", false);
        CertifiedKey bad = TestChains.issue(ca, "bad.test", false);
        assertThat(verify(chain(ca), 1, chain(good), TestChains.crl(ca, bad.leaf()))).isEmpty();
        assertThat(verify(chain(ca), 1, chain(bad), TestChains.crl(ca, bad.leaf()))).contains("(23:certificate revoked)");
        CertifiedKey otherCa = TestChains.authority("Other CA");
        assertThat(verify(chain(ca, otherCa), 1, chain(TestChains.issue(otherCa, "x.test", false)), TestChains.crl(ca)))
                .contains("(3:unable to get certificate CRL)");
    }
}
