package dev.proxyline.server.runtime;

import dev.proxyline.config.Listen;
import dev.proxyline.protocol.netty.ReceiveSettings;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One socket to listen on.
 *
 * @param listen  the {@code listen} directive (backlog, reuseport, so_keepalive)
 * @param address the address to bind: {@code listen 80} binds 0.0.0.0:80, as nginx's {@code *:80}; a
 *                {@code UnixDomainSocketAddress} for {@code listen unix:PATH}
 * @param receive the PROXY receive settings when the listen has {@code proxy_protocol}, else empty
 */
public record ListenerPlan(Listen listen, SocketAddress address, Optional<ReceiveSettings> receive) {
    public ListenerPlan {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(receive, "receive");
        if (listen.proxyProtocol() != receive.isPresent()) {
            throw new IllegalArgumentException("listen " + listen + ": receive settings must be present exactly when"
                    + " the listen has proxy_protocol");
        }
    }
}
