package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentCertificateTest {
    private static final System.Logger LOG = System.getLogger(DevelopmentCertificateTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void generatedAtFirstStartForLocalhostAndTheLoopbacksThenReused() throws Exception {
        Path certDir = dir.resolve(DevelopmentCertificate.DEFAULT_DIRECTORY);
        CertificateFiles first = new DevelopmentCertificate(certDir, Clock.systemUTC(), LOG).ensure();
        String certificate = Files.readString(first.certificate().path());
        String key = Files.readString(first.key().path());
        X509Certificate leaf = PemKeys.load(first).leaf();
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList())
                .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(Files.getPosixFilePermissions(first.key().path()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        CertificateFiles second = new DevelopmentCertificate(certDir, Clock.systemUTC(), LOG).ensure();
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(second.certificate().path())).isEqualTo(certificate);
        assertThat(Files.readString(second.key().path())).isEqualTo(key);
        try (var files = Files.list(certDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("localhost.crt", "localhost.key");
        }
    }

    @Test
    void regeneratedWhenAboutToExpire() throws Exception {
        CertificateFiles files = new DevelopmentCertificate(dir, Clock.systemUTC(), LOG).ensure();
        X509Certificate old = PemKeys.load(files).leaf();
        Instant nearTheEnd = old.getNotAfter().toInstant().minus(Duration.ofHours(1));
        new DevelopmentCertificate(dir, Clock.fixed(nearTheEnd, ZoneOffset.UTC), LOG).ensure();
        X509Certificate renewed = PemKeys.load(files).leaf();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(renewed.getNotAfter()).isAfter(old.getNotAfter());
    }

    @Test
    void aBrokenFileIsReplaced() throws Exception {
        CertificateFiles files = new DevelopmentCertificate(dir, Clock.systemUTC(), LOG).ensure();
        Files.writeString(files.key().path(), "truncated");
        new DevelopmentCertificate(dir, Clock.systemUTC(), LOG).ensure();
        assertThat(PemKeys.load(files).chain()).hasSize(1);
        assertThat(Files.readString(files.key().path())).startsWith("-----BEGIN PRIVATE KEY-----");
    }
}
