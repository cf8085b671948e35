package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * OCSP stapling of an http server: nginx's {@code ssl_stapling}, {@code ssl_stapling_file},
 * {@code ssl_stapling_responder}, {@code ssl_stapling_verify} and the {@code ssl_trusted_certificate} that verifies
 * the responses.
 *
 * @param on        {@code ssl_stapling}
 * @param file      {@code ssl_stapling_file}: a DER OCSP response stapled as it is, instead of asking a responder
 * @param responder {@code ssl_stapling_responder}: the responder's URL as written, overriding the certificate's own
 * @param verify    {@code ssl_stapling_verify}: a response is stapled only when its signer is trusted
 * @param trusted   {@code ssl_trusted_certificate}: PEM certificates trusted to find the issuer and verify signers
 * @param resolver  the server's {@code resolver}: the responder's name is looked up with it for each request
 */
public record Stapling(boolean on, Optional<ClientVerify.File> file, Optional<Responder> responder, boolean verify,
                       Optional<ClientVerify.File> trusted, Optional<Resolver> resolver) {
    /** nginx's defaults: off. */
    public static final Stapling OFF = new Stapling(false, Optional.empty(), Optional.empty(), false, Optional.empty(),
            Optional.empty());

    /** A responder URL as written, with where. */
    public record Responder(String url, Position position) {
        public Responder {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(position, "position");
        }
    }

    public Stapling {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(resolver, "resolver");
    }
}
