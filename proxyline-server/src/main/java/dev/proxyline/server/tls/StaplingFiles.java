package dev.proxyline.server.tls;

import dev.proxyline.config.Resolver;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's {@code ssl_stapling on} with its files resolved against the configuration directory.
 *
 * @param file      {@code ssl_stapling_file}: a DER OCSP response stapled as it is
 * @param responder {@code ssl_stapling_responder}: the URL as written, instead of the certificate's
 * @param verify    {@code ssl_stapling_verify}
 * @param trusted   {@code ssl_trusted_certificate}: where the issuer is looked for, and what verifies signers
 * @param resolver  the server's {@code resolver}, which looks up the responder's name for each request
 */
public record StaplingFiles(Optional<PemFile> file, Optional<String> responder, boolean verify,
                            Optional<PemFile> trusted, Optional<Resolver> resolver) {
    public StaplingFiles {
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(trusted, "trusted");
    }
}
