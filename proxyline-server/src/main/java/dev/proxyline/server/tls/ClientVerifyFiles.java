package dev.proxyline.server.tls;

import dev.proxyline.config.ClientVerify;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's {@code ssl_verify_client} settings with their files resolved: part of {@link ServerTls}, so compared
 * by value (servers with the same files share a context).
 */
public record ClientVerifyFiles(ClientVerify.Mode mode, Optional<PemFile> clientCertificate,
                                Optional<PemFile> trustedCertificate, Optional<PemFile> crl, int depth) {
    public static final ClientVerifyFiles OFF =
            new ClientVerifyFiles(ClientVerify.Mode.OFF, Optional.empty(), Optional.empty(), Optional.empty(), 1);

    public ClientVerifyFiles {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        Objects.requireNonNull(crl, "crl");
    }
}
