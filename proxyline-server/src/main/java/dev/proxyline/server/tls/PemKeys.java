package dev.proxyline.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads {@code ssl_certificate} / {@code ssl_certificate_key} PEM pairs as nginx accepts them: a chain of
 * certificates, and an RSA or EC key in PKCS#8, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}) form, and checks that the key belongs to the first certificate.
 */
public final class PemKeys {
    private static final byte[] PROBE = "proxyline key check".getBytes(StandardCharsets.US_ASCII);

    private PemKeys() {
    }

    /** Loads one pair; every problem found is in the exception, each naming its file and directive. */
    public static CertifiedKey load(CertificateFiles files) throws TlsSetupException {
        List<String> problems = new ArrayList<>();
        List<X509Certificate> chain = certificates(files.certificate(), problems);
        PrivateKey key = privateKey(files.key(), problems);
        if (!problems.isEmpty()) throw new TlsSetupException(problems);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new TlsSetupException(List.of(files.key().problem("the key does not match the certificate "
                    + files.certificate().path() + " (" + chain.get(0).getSubjectX500Principal().getName() + ")")));
        }
        return new CertifiedKey(key, chain);
    }

    private static List<X509Certificate> certificates(PemFile file, List<String> problems) {
        try (InputStream in = Files.newInputStream(file.path())) {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .forEach(c -> out.add((X509Certificate) c));
            if (out.isEmpty()) problems.add(file.problem("no PEM certificate in it"));
            return out;
        } catch (IOException e) {
            problems.add(file.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        } catch (CertificateException e) {
            problems.add(file.problem("not a PEM certificate (" + e.getMessage() + ")"));
        }
        return List.of();
    }

    private static PrivateKey privateKey(PemFile file, List<String> problems) {
        try (Reader reader = Files.newBufferedReader(file.path(), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // OpenSSL writes "EC PARAMETERS" before an EC key: skip whatever is not a key.
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                if (o instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    problems.add(file.problem("the key is encrypted; proxyline reads unencrypted keys only"));
                    return null;
                }
            }
            problems.add(file.problem("no PEM private key in it"));
        } catch (IOException e) {
            problems.add(file.problem("cannot read it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        }
        return null;
    }

    /** Signs with the key and verifies with the certificate's public key: works for every key type alike. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
