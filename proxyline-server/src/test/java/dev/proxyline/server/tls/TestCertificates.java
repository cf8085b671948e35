package dev.proxyline.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certificates generated at test time into a temporary directory; no key is ever committed. */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A self-signed certificate for {@code names} (the first is the subject CN), written as {@code dir/base.crt|key}. */
    public static CertificateFiles write(Path dir, String base, SelfSigned.KeyType type, String... names) {
        CertifiedKey key = SelfSigned.generate(type, names[0], List.of(names), List.of(), Instant.now(), Duration.ofDays(1));
        CertificateFiles files = files(dir, base);
        try {
            SelfSigned.write(key, files.certificate().path(), files.key().path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static CertificateFiles files(Path dir, String base) {
        return new CertificateFiles(new PemFile(dir.resolve(base + ".crt"), "ssl_certificate", Optional.empty()),
                new PemFile(dir.resolve(base + ".key"), "ssl_certificate_key", Optional.empty()));
    }
}
