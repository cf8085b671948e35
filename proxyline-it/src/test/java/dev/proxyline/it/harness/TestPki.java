package dev.proxyline.it.harness;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made in a test with Bouncy Castle, and the leaves it signs (EC P-256 keys). */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    /** A certificate with its key, as the PEM files a server names. */
    public record Issued(X509Certificate certificate, KeyPair keys, Path certificateFile, Path keyFile) {
    }

    private TestPki() {
    }

    /** A self-signed CA named {@code name}, written to {@code directory/NAME.crt} and {@code .key}. */
    public static Issued authority(Path directory, String name) {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            return write(directory, name, sign(builder, keys), keys, Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A leaf {@code name} signed by {@code ca}, with an Authority Information Access OCSP URL when {@code ocspUrl} is
     * given; its file holds the leaf and then the CA, as nginx's ssl_certificate files do.
     */
    public static Issued leaf(Path directory, String name, Issued ca, Optional<String> ocspUrl) {
        return signed(directory, name, ca, ocspUrl, false);
    }

    /**
     * A CA {@code name} that {@code ca} signed, with an Authority Information Access OCSP URL when {@code ocspUrl} is
     * given; its file holds it and then {@code ca}.
     */
    public static Issued intermediate(Path directory, String name, Issued ca, Optional<String> ocspUrl) {
        return signed(directory, name, ca, ocspUrl, true);
    }

    private static Issued signed(Path directory, String name, Issued ca, Optional<String> ocspUrl, boolean authority) {
        KeyPair keys = keys();
        try {
            JcaX509v3CertificateBuilder builder = builder(new JcaX509CertificateHolder(ca.certificate()).getSubject(),
                    new X500Name("CN=" + name), keys);
            if (authority) builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            if (ocspUrl.isPresent()) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl.get()))));
            }
            return write(directory, name, sign(builder, ca.keys()), keys, Optional.of(ca.certificate()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued write(Path directory, String name, X509Certificate certificate, KeyPair keys,
                                Optional<X509Certificate> issuer) throws IOException {
        Path certificateFile = directory.resolve(name + ".crt");
        Path keyFile = directory.resolve(name + ".key");
        Files.writeString(certificateFile, pem(certificate) + issuer.map(TestPki::pem).orElse(""));
        // PKCS#8, which nginx's OpenSSL and proxyline both read.
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new Issued(certificate, keys, certificateFile, keyFile);
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
