package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ClientVerify;
import dev.proxyline.server.variables.ClientCertificate;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class ClientVerifierTest {
    private static final TestPki.Issued CA = TestPki.selfSigned("C=DE,O=Test Org,CN=Test Root", true);
    private static final TestPki.Issued INTERMEDIATE = TestPki.intermediate(CA, "CN=Test Intermediate");
    private static final TestPki.Issued SECOND = TestPki.intermediate(INTERMEDIATE, "CN=Second Intermediate");
    private static final TestPki.Issued CLIENT = TestPki.client(CA, "CN=client one", BigInteger.TEN, Duration.ofDays(5));
    private static final TestPki.Issued BELOW = TestPki.client(INTERMEDIATE, "CN=client two", BigInteger.TWO,
            Duration.ofDays(5));
    private static final TestPki.Issued DEEP = TestPki.client(SECOND, "CN=client three", BigInteger.ONE,
            Duration.ofDays(5));
    private static final TestPki.Issued STRANGER = TestPki.selfSigned("CN=stranger", false);

    private static final Optional<KeyPurposeId> CLIENT_AUTH = Optional.of(KeyPurposeId.id_kp_clientAuth);

    private static ClientVerifier verifier(int depth, X509CRL... crls) {
        return new ClientVerifier(ClientVerify.Mode.ON, List.of(CA.certificate()), List.of(), List.of(crls), depth);
    }

    private static String verify(ClientVerifier v, List<X509Certificate> chain) {
        return certificate(v, chain, Instant.now()).verify();
    }

    /** What the handshake stage makes of the verifier's result: the connection's client certificate. */
    private static ClientCertificate certificate(ClientVerifier v, List<X509Certificate> chain, Instant now) {
        return new ClientCertificate(chain, v.verify(chain, now));
    }

    @Test
    void aCertificateTheCaIssuedSucceeds() {
        ClientCertificate c = certificate(verifier(1), CLIENT.chain(), Instant.now());
        assertThat(c.verify()).isEqualTo("SUCCESS");
        assertThat(c.failure()).isEmpty();
        assertThat(c.sent()).isTrue();
    }

    @Test
    void noCertificateIsNone() {
        ClientCertificate c = certificate(verifier(1), List.of(), Instant.now());
        assertThat(c.verify()).isEqualTo("NONE");
        assertThat(c.sent()).isFalse();
        assertThat(c.subject()).isEmpty();
        assertThat(c.daysRemaining(0)).isEmpty();
    }

    @Test
    void aSelfSignedStrangerFailsWithOpenSslsReasonAndCountsAsUnknownIssuer() {
        ClientCertificate c = certificate(verifier(1), STRANGER.chain(), Instant.now());
        assertThat(c.verify()).isEqualTo("FAILED:self-signed certificate");
        assertThat(c.failure().orElseThrow().code()).isEqualTo(18);
        assertThat(c.failure().get().issuerUnknown()).isTrue();
    }

    @Test
    void depthCountsTheCertificatesBetweenClientAndTrustedOneAsOpenSslDoes() {
        assertThat(verify(verifier(1), BELOW.chain())).isEqualTo("SUCCESS");
        assertThat(verify(verifier(0), BELOW.chain())).isEqualTo("FAILED:unable to get local issuer certificate");
        assertThat(verify(verifier(0), CLIENT.chain())).isEqualTo("SUCCESS");
        assertThat(DEEP.chain()).hasSize(3);
        assertThat(verify(verifier(1), DEEP.chain())).isEqualTo("FAILED:unable to get local issuer certificate");
        assertThat(verify(verifier(2), DEEP.chain())).isEqualTo("SUCCESS");
    }

    @Test
    void aCertificateWithoutItsIntermediateCannotBeVerified() {
        assertThat(verify(verifier(1), List.of(BELOW.certificate())))
                .isEqualTo("FAILED:unable to verify the first certificate");
    }

    @Test
    void anIntermediateTrustedByTheServerNeedNotBeSent() {
        ClientVerifier v = new ClientVerifier(ClientVerify.Mode.ON, List.of(CA.certificate()),
                List.of(INTERMEDIATE.certificate()), List.of(), 1);
        assertThat(verify(v, List.of(BELOW.certificate()))).isEqualTo("SUCCESS");
        assertThat(v.named()).containsExactly(CA.certificate());
    }

    @Test
    void validityIsChecked() {
        Instant now = Instant.now();
        TestPki.Issued expired = TestPki.issue(CA, "CN=old", BigInteger.valueOf(3), now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1)), false, CLIENT_AUTH);
        TestPki.Issued early = TestPki.issue(CA, "CN=early", BigInteger.valueOf(4), now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3)), false, CLIENT_AUTH);
        assertThat(verify(verifier(1), expired.chain())).isEqualTo("FAILED:certificate has expired");
        assertThat(verify(verifier(1), early.chain())).isEqualTo("FAILED:certificate is not yet valid");
        assertThat(certificate(verifier(1), expired.chain(), now).failure().orElseThrow().issuerUnknown()).isFalse();
    }

    @Test
    void anExpiredStrangerEndsWithTheLastProblemAsNginxsCallbackLetsOpenSslGoOn() {
        Instant now = Instant.now();
        TestPki.Issued self = TestPki.selfSigned("CN=self", false);
        // Verified a week later, the stranger has expired too: OpenSSL reports that after "self-signed".
        assertThat(certificate(verifier(1), self.chain(), now.plus(Duration.ofDays(30))).verify())
                .isEqualTo("FAILED:certificate has expired");
    }

    @Test
    void anIssuerThatIsNoCaIsRefused() {
        TestPki.Issued notCa = TestPki.client(CA, "CN=not a ca", BigInteger.valueOf(5), Duration.ofDays(5));
        TestPki.Issued below = TestPki.issue(notCa, "CN=below", BigInteger.valueOf(6), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), false, CLIENT_AUTH);
        assertThat(below.chain()).hasSize(2);
        assertThat(verify(verifier(1), below.chain())).isEqualTo("FAILED:invalid CA certificate");
    }

    @Test
    void aCertificateForAnotherPurposeIsRefusedOneWithoutExtendedKeyUsageIsNot() {
        TestPki.Issued serverOnly = TestPki.issue(CA, "CN=server", BigInteger.valueOf(8), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), false, Optional.of(KeyPurposeId.id_kp_serverAuth));
        assertThat(verify(verifier(1), serverOnly.chain())).isEqualTo("FAILED:unsupported certificate purpose");
        TestPki.Issued any = TestPki.issue(CA, "CN=any", BigInteger.valueOf(9), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), false, Optional.empty());
        assertThat(verify(verifier(1), any.chain())).isEqualTo("SUCCESS");
    }

    @Test
    void revocationListsAreCheckedForEveryCertificateBelowTheTrustedOne() {
        X509CRL rootList = TestPki.crl(CA, CLIENT.certificate());
        assertThat(verify(verifier(1, rootList), CLIENT.chain())).isEqualTo("FAILED:certificate revoked");
        TestPki.Issued other = TestPki.client(CA, "CN=other", BigInteger.valueOf(99), Duration.ofDays(5));
        assertThat(verify(verifier(1, rootList), other.chain())).isEqualTo("SUCCESS");
        // The intermediate's own list is missing: as nginx (CRL_CHECK_ALL), that fails.
        assertThat(verify(verifier(1, rootList), BELOW.chain())).isEqualTo("FAILED:unable to get certificate CRL");
        assertThat(verify(verifier(1, rootList, TestPki.crl(INTERMEDIATE)), BELOW.chain())).isEqualTo("SUCCESS");
        assertThat(verify(verifier(1, TestPki.crl(INTERMEDIATE, BELOW.certificate()), rootList), BELOW.chain()))
                .isEqualTo("FAILED:certificate revoked");
    }
}
