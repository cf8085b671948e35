package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code proxy_ssl_verify}'s chain check, with OpenSSL's verify results as nginx logs them. */
class PeerCheckTest {
    private static final Date NOW = new Date();

    private static List<X509Certificate> chain(CertifiedKey... keys) {
        return java.util.Arrays.stream(keys).map(CertifiedKey::leaf).toList();
    }

    @Test
    void aSelfSignedCertificateIsTrustedWhenItIsTheTrustedOne() {
        CertifiedKey self = SelfSigned.generate(SelfSigned.KeyType.EC, "backend.test", List.of("backend.test"),
                List.of(), Instant.now(), Duration.ofDays(1));
        CertifiedKey other = SelfSigned.generate(SelfSigned.KeyType.EC, "backend.test", List.of("backend.test"),
                List.of(), Instant.now(), Duration.ofDays(1));
        assertThat(new PeerCheck(chain(self), List.of(), 1).problem(chain(self), NOW)).isEmpty();
        assertThat(new PeerCheck(chain(other), List.of(), 1).problem(chain(self), NOW))
                .contains("(18:self-signed certificate)");
    }

    @Test
    void aCertificateOfATrustedAuthorityIsTrustedAndOneOfAnotherIsNot() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey stranger = TestChains.authority("Other CA");
        CertifiedKey leaf = TestChains.issue(ca, "backend.test", false);
        assertThat(new PeerCheck(chain(ca), List.of(), 1).problem(chain(leaf), NOW)).isEmpty();
        assertThat(new PeerCheck(chain(stranger), List.of(), 1).problem(chain(leaf), NOW))
                .contains("(20:unable to get local issuer certificate)");
        assertThat(new PeerCheck(chain(stranger), List.of(), 1).problem(chain(leaf, ca), NOW))
                .contains("(19:self-signed certificate in certificate chain)");
    }

    @Test
    void theDepthCountsIntermediateCertificatesAsOpenSsl() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey intermediate = TestChains.issue(ca, "Intermediate CA", true);
        CertifiedKey leaf = TestChains.issue(intermediate, "backend.test", false);
        assertThat(new PeerCheck(chain(ca), List.of(), 1).problem(chain(leaf, intermediate), NOW)).isEmpty();
        assertThat(new PeerCheck(chain(ca), List.of(), 0).problem(chain(leaf, intermediate), NOW))
                .contains("(22:certificate chain too long)");
        assertThat(new PeerCheck(chain(ca), List.of(), 0).problem(chain(TestChains.issue(ca, "b.test", false)), NOW))
                .isEmpty();
    }

    @Test
    void anExpiredCertificateOfATrustedAuthorityIsRefusedAsExpired() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey leaf = TestChains.issue(ca, "backend.test", false, Date.from(Instant.now().minusSeconds(3600)));
        assertThat(new PeerCheck(chain(ca), List.of(), 1).problem(chain(leaf), NOW))
                .contains("(10:certificate has expired)");
    }

    @Test
    void withARevocationListARevokedCertificateIsRefused() throws Exception {
        CertifiedKey ca = TestChains.authority("Test CA");
        CertifiedKey good = TestChains.issue(ca, "good.test", false);
        CertifiedKey bad = TestChains.issue(ca, "bad.test", false);
        PeerCheck check = new PeerCheck(chain(ca), List.of(TestChains.crl(ca, bad.leaf())), 1);
        assertThat(check.problem(chain(good), NOW)).isEmpty();
        assertThat(check.problem(chain(bad), NOW)).contains("(23:certificate revoked)");
        CertifiedKey otherCa = TestChains.authority("Other CA");
        PeerCheck withoutItsList = new PeerCheck(chain(ca, otherCa), List.of(TestChains.crl(ca)), 1);
        assertThat(withoutItsList.problem(chain(TestChains.issue(otherCa, "x.test", false)), NOW))
                .contains("(3:unable to get certificate CRL)");
    }
}
