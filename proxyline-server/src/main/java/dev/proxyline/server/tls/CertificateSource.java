package dev.proxyline.server.tls;

import java.util.Objects;

/** Where a server's certificate comes from: its {@code ssl_certificate} pair, or the development certificate. */
public sealed interface CertificateSource {
    /** An {@code ssl_certificate} / {@code ssl_certificate_key} pair. */
    record Configured(CertificateFiles files) implements CertificateSource {
        public Configured {
            Objects.requireNonNull(files, "files");
        }
    }

    /** The server has no {@code ssl_certificate}: the {@link DevelopmentCertificate} serves it. */
    record Development() implements CertificateSource {
    }
}
