package dev.proxyline.server.tls;

import java.util.Objects;

/** One {@code ssl_certificate} (leaf first, then its chain) and the {@code ssl_certificate_key} paired with it. */
public record CertificateFiles(PemFile certificate, PemFile key) {
    public CertificateFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }
}
