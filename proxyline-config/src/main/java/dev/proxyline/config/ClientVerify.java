package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Client certificate authentication of an http server (mutual TLS): nginx's {@code ssl_verify_client},
 * {@code ssl_client_certificate}, {@code ssl_trusted_certificate}, {@code ssl_verify_depth} and {@code ssl_crl}.
 *
 * @param mode              {@code ssl_verify_client}
 * @param clientCertificate PEM CA certificates that are trusted and whose names the server sends in its request
 * @param trustedCertificate PEM CA certificates that are trusted but not named to the client
 * @param crl               PEM certificate revocation lists; with them every certificate of a chain needs its
 *                          issuer's list, as in nginx
 * @param depth             {@code ssl_verify_depth}: how many intermediate certificates may stand between the
 *                          client's certificate and a trusted one
 * @param ocsp              {@code ssl_ocsp} and its settings: the responder's word on a certificate that verified
 */
public record ClientVerify(Mode mode, Optional<File> clientCertificate, Optional<File> trustedCertificate,
                           Optional<File> crl, int depth, ClientOcsp ocsp) {
    /** nginx's defaults: no certificate requested, depth 1. */
    public static final ClientVerify OFF = new ClientVerify(Mode.OFF, Optional.empty(), Optional.empty(),
            Optional.empty(), 1, ClientOcsp.OFF);

    /** The values of {@code ssl_verify_client}. */
    public enum Mode {
        /** No certificate is requested. */
        OFF,
        /** A certificate is requested and a request without a valid one is answered 400. */
        ON,
        /** A certificate is requested; none is fine, an invalid one is answered 400. */
        OPTIONAL,
        /** As {@link #OPTIONAL}, and a certificate whose issuer is not trusted passes too. */
        OPTIONAL_NO_CA
    }

    /** A file named in the configuration, relative to the configuration's directory or absolute. */
    public record File(String path, Position position) {
        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(position, "position");
        }
    }

    public ClientVerify {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        Objects.requireNonNull(crl, "crl");
        Objects.requireNonNull(ocsp, "ocsp");
        if (depth < 0) throw new IllegalArgumentException("depth " + depth);
    }
}
