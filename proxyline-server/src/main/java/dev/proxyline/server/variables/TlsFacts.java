package dev.proxyline.server.variables;

import java.util.Objects;
import java.util.Optional;

/**
 * What the TLS handshake of a connection settled, for {@code $ssl_protocol}, {@code $ssl_cipher},
 * {@code $ssl_server_name}, {@code $ssl_alpn_protocol} and {@code $https}.
 *
 * @param protocol   the negotiated protocol as the engine names it ({@code TLSv1.3})
 * @param cipher     the cipher suite with OpenSSL's name, as nginx gives it
 * @param serverName the SNI name the client sent, lower-cased; empty when it sent none
 * @param alpn       the ALPN protocol agreed ({@code h2}, {@code http/1.1}); empty when none was
 * @param client     the client's certificate and its verification ({@code $ssl_client_*}, {@code ssl_verify_client})
 */
public record TlsFacts(String protocol, String cipher, Optional<String> serverName, Optional<String> alpn,
                       ClientCertificate client) {
    /** Facts of a handshake that asked for no client certificate. */
    public TlsFacts(String protocol, String cipher, Optional<String> serverName, Optional<String> alpn) {
        this(protocol, cipher, serverName, alpn, ClientCertificate.NOT_REQUESTED);
    }

    public TlsFacts {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(alpn, "alpn");
    }
}
