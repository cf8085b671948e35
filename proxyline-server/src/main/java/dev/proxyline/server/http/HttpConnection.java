package dev.proxyline.server.http;

import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.server.variables.TlsFacts;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the connection stages (trust gate, PROXY header, TLS, ALPN) settled about one accepted HTTP
 * connection, handed to the request stage. The same value serves every request of the connection
 * and, for HTTP/2, every stream.
 *
 * @param serial   the connection serial number ({@code $connection})
 * @param peer     the socket's remote address
 * @param local    the socket's local address
 * @param proxied  what the PROXY stage found, when the listener has {@code proxy_protocol}
 * @param tls      the handshake's outcome, when the listener has {@code ssl}
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2.0}: what the request stage will be fed
 */
public record HttpConnection(long serial, SocketAddress peer, SocketAddress local, Optional<ProxiedConnection> proxied,
                             Optional<TlsFacts> tls, String protocol) {
    public static final String HTTP_1_1 = "HTTP/1.1";
    public static final String HTTP_2 = "HTTP/2.0";

    public HttpConnection {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(proxied, "proxied");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** {@code https} behind TLS, {@code http} otherwise. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
