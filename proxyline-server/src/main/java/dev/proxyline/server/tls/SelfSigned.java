package dev.proxyline.server.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed server certificates (BouncyCastle), for the development certificate. */
public final class SelfSigned {
    /** The key type of a generated certificate. */
    public enum KeyType {
        /** ECDSA P-256, signed with SHA-256. */
        EC,
        /** RSA 2048, signed with SHA-256. */
        RSA
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSigned() {
    }

    /**
     * A new key and a certificate for it, valid from one hour before {@code now} for {@code validity},
     * with {@code commonName} as subject and the DNS names and addresses as subject alternative names.
     */
    public static CertifiedKey generate(KeyType type, String commonName, List<String> dnsNames,
                                        List<InetAddress> addresses, Instant now, Duration validity) {
        try {
            KeyPair pair = keyPair(type);
            X500Name subject = new X500Name("CN=" + commonName + ",O=proxyline");
            List<GeneralName> alternatives = new ArrayList<>();
            dnsNames.forEach(n -> alternatives.add(new GeneralName(GeneralName.dNSName, n)));
            addresses.forEach(a -> alternatives.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(validity)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            if (!alternatives.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            String signature = type == KeyType.EC ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
            return new CertifiedKey(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    /**
     * Writes the chain and the key (PKCS#8, readable by the owner only where the file system allows) as PEM;
     * each file is written aside and moved into place, so a reader never sees half a file.
     */
    public static void write(CertifiedKey key, Path certificateFile, Path keyFile) throws IOException {
        writeAtomically(keyFile, true, pem -> pem.writeObject(new JcaPKCS8Generator(key.key(), null)));
        writeAtomically(certificateFile, false, pem -> {
            for (X509Certificate c : key.chain()) pem.writeObject(c);
        });
    }

    private interface PemContent {
        void writeTo(JcaPEMWriter pem) throws IOException;
    }

    private static void writeAtomically(Path target, boolean secret, PemContent content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp);
        if (secret && Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        }
        try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            content.writeTo(pem);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
        if (type == KeyType.EC) {
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        } else {
            generator.initialize(2048, RANDOM);
        }
        return generator.generateKeyPair();
    }
}
