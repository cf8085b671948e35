package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.Position;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {
    @TempDir
    Path dir;

    @Test
    void readsRsaAndEcPairsInPkcs8() throws Exception {
        CertifiedKey rsa = PemKeys.load(TestCertificates.write(dir, "rsa", SelfSigned.KeyType.RSA, "rsa.test"));
        CertifiedKey ec = PemKeys.load(TestCertificates.write(dir, "ec", SelfSigned.KeyType.EC, "ec.test"));
        assertThat(rsa.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(ec.key().getAlgorithm()).isEqualTo("EC");
        assertThat(ec.leaf().getSubjectX500Principal().getName()).contains("CN=ec.test");
    }

    @Test
    void readsTraditionalOpenSslRsaKeys() throws Exception {
        CertificateFiles files = TestCertificates.write(dir, "rsa", SelfSigned.KeyType.RSA, "rsa.test");
        CertifiedKey original = PemKeys.load(files);
        KeyPair pair = new KeyPair(original.leaf().getPublicKey(), original.key());
        try (Writer w = Files.newBufferedWriter(files.key().path()); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pair); // "BEGIN RSA PRIVATE KEY", as openssl genrsa wrote it for years
        }
        assertThat(Files.readString(files.key().path())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemKeys.load(files).key()).isEqualTo(original.key());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheDirective() {
        CertificateFiles a = TestCertificates.write(dir, "a", SelfSigned.KeyType.EC, "a.test");
        CertificateFiles b = TestCertificates.write(dir, "b", SelfSigned.KeyType.EC, "b.test");
        PemFile wrongKey = new PemFile(b.key().path(), "ssl_certificate_key", Optional.of(new Position("p.conf", 7, 29)));
        assertThatThrownBy(() -> PemKeys.load(new CertificateFiles(a.certificate(), wrongKey)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("p.conf:7:29: \"ssl_certificate_key\" file " + b.key().path()
                        + ": the key does not match the certificate " + a.certificate().path() + " (O=proxyline,CN=a.test)");
    }

    @Test
    void missingAndGarbageFilesAreAllReportedAtOnce() throws Exception {
        Files.writeString(dir.resolve("junk.key"), "not a key\n");
        CertificateFiles files = new CertificateFiles(
                new PemFile(dir.resolve("missing.crt"), "ssl_certificate", Optional.of(new Position("p.conf", 3, 21))),
                new PemFile(dir.resolve("junk.key"), "ssl_certificate_key", Optional.of(new Position("p.conf", 4, 25))));
        assertThatThrownBy(() -> PemKeys.load(files))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems()).containsExactly(
                        "p.conf:3:21: \"ssl_certificate\" file " + dir.resolve("missing.crt")
                                + ": cannot read it (NoSuchFileException: " + dir.resolve("missing.crt") + ")",
                        "p.conf:4:25: \"ssl_certificate_key\" file " + dir.resolve("junk.key") + ": no PEM private key in it"));
    }
}
