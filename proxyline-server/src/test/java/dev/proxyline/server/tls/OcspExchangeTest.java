package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** The request and the checks of a response, with responses made in the test (no network). */
class OcspExchangeTest {
    private final Instant now = Instant.now();
    private final CertifiedKey ca;
    private final CertifiedKey leaf;
    private final CertifiedKey stranger;
    private final OcspExchange exchange;

    OcspExchangeTest() throws Exception {
        ca = TestChains.authority("ocsp-ca");
        leaf = TestChains.issue(ca, "leaf.test", false);
        stranger = TestChains.authority("stranger");
        exchange = OcspExchange.about(leaf.leaf(), ca.leaf());
    }

    private CertificateID id(BigInteger serial) throws Exception {
        return new JcaCertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                ca.leaf(), serial);
    }

    private byte[] response(CertificateID id, CertificateStatus status, X509Certificate signer, PrivateKey key,
                            Instant thisUpdate, Instant nextUpdate) throws Exception {
        X509CertificateHolder holder = new JcaX509CertificateHolder(signer);
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(holder.getSubject()));
        b.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, b.build(new JcaContentSignerBuilder(
                "SHA256withECDSA").build(key), new X509CertificateHolder[] {holder}, Date.from(now))).getEncoded();
    }

    private byte[] good(Instant nextUpdate) throws Exception {
        return response(id(leaf.leaf().getSerialNumber()), CertificateStatus.GOOD, ca.leaf(), ca.key(),
                now.minusSeconds(60), nextUpdate);
    }

    @Test
    void theRequestAsksAboutTheCertificateBySha1Identifiers() throws Exception {
        OCSPReq request = new OCSPReq(exchange.request());
        assertThat(request.getRequestList()).hasSize(1);
        assertThat(request.getRequestList()[0].getCertID()).isEqualTo(id(leaf.leaf().getSerialNumber()));
        assertThat(request.hasExtensions()).isFalse(); // no nonce, as nginx sends none
    }

    @Test
    void aGoodSignedResponseIsStapledWithItsNextUpdate() throws Exception {
        Instant next = now.plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] der = good(next);
        OcspExchange.Outcome outcome = exchange.check(der, now, true, List.of(ca.leaf()));
        assertThat(outcome).isInstanceOf(OcspExchange.Staple.class);
        assertThat(((OcspExchange.Staple) outcome).der()).isEqualTo(der);
        assertThat(((OcspExchange.Staple) outcome).nextUpdate()).contains(next);
        assertThat(((OcspExchange.Staple) exchange.check(good(null), now, false, List.of())).nextUpdate()).isEmpty();
    }

    @Test
    void revokedAndUnknownStatusesAreNotStapled() throws Exception {
        byte[] revoked = response(id(leaf.leaf().getSerialNumber()), new RevokedStatus(Date.from(now), 1), ca.leaf(),
                ca.key(), now, now.plusSeconds(3600));
        assertThat(exchange.check(revoked, now, false, List.of()))
                .isEqualTo(new OcspExchange.Refused("certificate status \"revoked\" in the OCSP response"));
        byte[] other = response(id(BigInteger.valueOf(7)), CertificateStatus.GOOD, ca.leaf(), ca.key(), now,
                now.plusSeconds(3600));
        assertThat(exchange.check(other, now, false, List.of()))
                .isEqualTo(new OcspExchange.Refused("certificate status not found in the OCSP response"));
    }

    @Test
    void aStrangeSignerPassesOnlyWithoutVerification() throws Exception {
        byte[] der = response(id(leaf.leaf().getSerialNumber()), CertificateStatus.GOOD, stranger.leaf(),
                stranger.key(), now, now.plusSeconds(3600));
        assertThat(exchange.check(der, now, false, List.of())).isInstanceOf(OcspExchange.Staple.class);
        assertThat(exchange.check(der, now, true, List.of(ca.leaf()))).isInstanceOf(OcspExchange.Refused.class);
    }

    @Test
    void verificationNeedsTheIssuerTrusted() throws Exception {
        assertThat(exchange.check(good(now.plusSeconds(3600)), now, true, List.of(stranger.leaf())))
                .isInstanceOf(OcspExchange.Refused.class);
    }

    @Test
    void aSignatureByAnotherKeyThanTheNamedSignersFails() throws Exception {
        byte[] der = response(id(leaf.leaf().getSerialNumber()), CertificateStatus.GOOD, ca.leaf(), stranger.key(),
                now, now.plusSeconds(3600));
        assertThat(exchange.check(der, now, false, List.of()))
                .isEqualTo(new OcspExchange.Refused("OCSP response signature failure"));
    }

    @Test
    void timesOffByMoreThanFiveMinutesAreRefused() throws Exception {
        assertThat(exchange.check(good(now.minus(Duration.ofMinutes(6))), now, false, List.of()))
                .isInstanceOf(OcspExchange.Refused.class);
        byte[] lately = response(id(leaf.leaf().getSerialNumber()), CertificateStatus.GOOD, ca.leaf(), ca.key(),
                now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(4)));
        assertThat(exchange.check(lately, now, false, List.of())).isInstanceOf(OcspExchange.Staple.class);
        byte[] future = response(id(leaf.leaf().getSerialNumber()), CertificateStatus.GOOD, ca.leaf(), ca.key(),
                now.plus(Duration.ofMinutes(10)), now.plus(Duration.ofHours(1)));
        assertThat(exchange.check(future, now, false, List.of())).isInstanceOf(OcspExchange.Refused.class);
    }

    @Test
    void unsuccessfulAndGarbledResponsesAreRefused() throws Exception {
        byte[] tryLater = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
        assertThat(exchange.check(tryLater, now, false, List.of()))
                .isEqualTo(new OcspExchange.Refused("OCSP response not successful (3: trylater)"));
        assertThat(exchange.check(new byte[] {1, 2, 3}, now, false, List.of()))
                .isInstanceOf(OcspExchange.Refused.class);
    }

    @Test
    void forAClientCertificateEveryStatusIsToldWithItsNextUpdate() throws Exception {
        Instant next = now.plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] revoked = response(id(leaf.leaf().getSerialNumber()), new RevokedStatus(Date.from(now), 1), ca.leaf(),
                ca.key(), now, next);
        assertThat(exchange.judge(revoked, now, true, List.of(ca.leaf())))
                .isEqualTo(new OcspExchange.Stated(OcspExchange.Status.REVOKED, java.util.Optional.of(next)));
        byte[] unknown = response(id(leaf.leaf().getSerialNumber()), new org.bouncycastle.cert.ocsp.UnknownStatus(),
                ca.leaf(), ca.key(), now, null);
        assertThat(exchange.judge(unknown, now, true, List.of(ca.leaf())))
                .isEqualTo(new OcspExchange.Stated(OcspExchange.Status.UNKNOWN, java.util.Optional.empty()));
        assertThat(exchange.judge(good(next), now, true, List.of(ca.leaf())))
                .isEqualTo(new OcspExchange.Stated(OcspExchange.Status.GOOD, java.util.Optional.of(next)));
    }

    @Test
    void aRevokedStatementSignedByAStrangerIsNoStatementAtAll() throws Exception {
        byte[] der = response(id(leaf.leaf().getSerialNumber()), new RevokedStatus(Date.from(now), 1),
                stranger.leaf(), stranger.key(), now, now.plusSeconds(3600));
        assertThat(exchange.judge(der, now, true, List.of(ca.leaf()))).isInstanceOf(OcspExchange.Unusable.class);
    }

    @Test
    void theKeyIsTheSameForEveryExchangeAboutOneCertificate() throws Exception {
        assertThat(OcspExchange.about(leaf.leaf(), ca.leaf()).key()).isEqualTo(exchange.key());
        CertifiedKey other = TestChains.issue(ca, "other.test", false);
        assertThat(OcspExchange.about(other.leaf(), ca.leaf()).key()).isNotEqualTo(exchange.key());
    }
}
