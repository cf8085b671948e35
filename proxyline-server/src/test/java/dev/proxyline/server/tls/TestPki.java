package dev.proxyline.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and client certificates made at test time (a CA, intermediates, clients, strangers, CRLs),
 * for {@code ssl_verify_client} tests; no key is ever committed.
 */
public final class TestPki {
    /** A certificate with its key; {@code chain} is the certificate and the intermediates above it. */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
        /** A client key manager presenting this certificate and its chain. */
        public KeyManagerFactory keyManagers() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, "test".toCharArray(), chain.toArray(X509Certificate[]::new));
            KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            f.init(store, "test".toCharArray());
            return f;
        }
    }

    private TestPki() {
    }

    /** A self-signed CA (or, with {@code ca} false, a stranger's self-signed client certificate). */
    public static Issued selfSigned(String dn, boolean ca) {
        KeyPair pair = keyPair();
        X509Certificate c = sign(dn, pair, new X500Name(dn), pair.getPrivate(), BigInteger.valueOf(System.nanoTime() & 0xFFFFFF),
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(10)), ca, Optional.empty());
        return new Issued(c, pair.getPrivate(), List.of(c));
    }

    /** A CA certificate issued by {@code issuer}. */
    public static Issued intermediate(Issued issuer, String dn) {
        return issue(issuer, dn, BigInteger.valueOf(7), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(10)), true, Optional.empty());
    }

    /** A client certificate issued by {@code issuer}, valid from an hour ago for {@code validity}. */
    public static Issued client(Issued issuer, String dn, BigInteger serial, Duration validity) {
        return issue(issuer, dn, serial, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(validity), false,
                Optional.of(KeyPurposeId.id_kp_clientAuth));
    }

    /** A certificate issued by {@code issuer} with the given validity and extended key usage. */
    public static Issued issue(Issued issuer, String dn, BigInteger serial, Instant from, Instant to, boolean ca,
                               Optional<KeyPurposeId> usage) {
        KeyPair pair = keyPair();
        X509Certificate c = sign(dn, pair, name(issuer.certificate()), issuer.key(),
                serial, from, to, ca, usage);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(c);
        // The issuer's own chain without the root: what a client sends.
        List<X509Certificate> above = issuer.chain();
        for (X509Certificate a : above) {
            if (!a.getSubjectX500Principal().equals(a.getIssuerX500Principal())) chain.add(a);
        }
        return new Issued(c, pair.getPrivate(), chain);
    }

    /** A CRL of {@code issuer} revoking {@code revoked}, valid from an hour ago for a day. */
    public static X509CRL crl(Issued issuer, X509Certificate... revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder b = new X509v2CRLBuilder(name(issuer.certificate()), Date.from(now.minus(Duration.ofHours(1))));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
            for (X509Certificate r : revoked) {
                b.addCRLEntry(r.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(5))), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(issuer.key())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes certificates and CRLs as PEM, in order. */
    public static Path writePem(Path file, Object... objects) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) pem.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The subject as encoded, so that an issuer name matches it byte for byte. */
    private static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate sign(String dn, KeyPair pair, X500Name issuer, PrivateKey issuerKey,
                                        BigInteger serial, Instant from, Instant to, boolean ca,
                                        Optional<KeyPurposeId> usage) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from),
                    Date.from(to), new X500Name(dn), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (usage.isPresent()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage.get()));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
