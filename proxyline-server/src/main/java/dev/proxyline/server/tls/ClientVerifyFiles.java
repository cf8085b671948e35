package dev.proxyline.server.tls;

import dev.proxyline.config.ClientOcsp;
import dev.proxyline.config.ClientVerify;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's {@code ssl_verify_client} settings with their files resolved: part of {@link ServerTls}, so compared
 * by value (servers with the same files share a context). {@code ssl_ocsp} comes along: it checks what these verified.
 */
public record ClientVerifyFiles(ClientVerify.Mode mode, Optional<PemFile> clientCertificate,
                                Optional<PemFile> trustedCertificate, Optional<PemFile> crl, int depth,
                                ClientOcsp ocsp) {
    public static final ClientVerifyFiles OFF =
            new ClientVerifyFiles(ClientVerify.Mode.OFF, Optional.empty(), Optional.empty(), Optional.empty(), 1,
            ClientOcsp.OFF);

    public ClientVerifyFiles {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        Objects.requireNonNull(crl, "crl");
        Objects.requireNonNull(ocsp, "ocsp");
    }
}
