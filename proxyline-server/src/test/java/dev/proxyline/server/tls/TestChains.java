package dev.proxyline.server.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificate authorities and the certificates they issue, made at test time (BouncyCastle). */
final class TestChains {
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestChains() {
    }

    /** A self-signed CA certificate for {@code name}. */
    static CertifiedKey authority(String name) throws Exception {
        KeyPair pair = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), from(), until(), subject,
                pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new CertifiedKey(pair.getPrivate(), List.of(sign(b, pair)));
    }

    /** A certificate issued by {@code issuer}: a CA one, or one for the DNS name {@code name}; valid until {@code until}. */
    static CertifiedKey issue(CertifiedKey issuer, String name, boolean ca, Date until) throws Exception {
        KeyPair pair = keyPair();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.leaf(), serial(),
                Date.from(Instant.now().minus(Duration.ofDays(2))), until, new X500Name("CN=" + name),
                pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        }
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.key())));
        return new CertifiedKey(pair.getPrivate(), List.of(certificate));
    }

    static CertifiedKey issue(CertifiedKey issuer, String name, boolean ca) throws Exception {
        return issue(issuer, name, ca, until());
    }

    /** {@code issuer}'s revocation list, revoking {@code revoked}. */
    static X509CRL crl(CertifiedKey issuer, X509Certificate... revoked) throws Exception {
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.leaf(), from());
        b.setNextUpdate(until());
        for (X509Certificate r : revoked) b.addCRLEntry(r.getSerialNumber(), from(), CRLReason.keyCompromise);
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuer.key())));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair pair) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofDays(1)));
    }

    private static Date until() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
