package dev.proxyline.server.transport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How upstream connections are opened.
 *
 * @param connectTimeout {@code proxy_connect_timeout}; nginx's default is 60s
 * @param bindAddress {@code proxy_bind}: the local address upstream connections come from; empty lets
 *     the kernel choose
 * @param keepAlive {@code proxy_socket_keepalive}: SO_KEEPALIVE on upstream sockets
 */
public record UpstreamOptions(Duration connectTimeout, Optional<InetAddress> bindAddress, boolean keepAlive) {

    /** nginx's default {@code proxy_connect_timeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    /** Validates the settings. */
    public UpstreamOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "proxy_connect_timeout: " + connectTimeout + " (expected 1ms to " + Integer.MAX_VALUE + "ms)");
        }
    }

    /** nginx's defaults: 60s connect timeout, no bind address, no keepalive. */
    public static UpstreamOptions defaults() {
        return new UpstreamOptions(DEFAULT_CONNECT_TIMEOUT, Optional.empty(), false);
    }

    /** A copy with another connect timeout. */
    public UpstreamOptions withConnectTimeout(Duration timeout) {
        return new UpstreamOptions(timeout, bindAddress, keepAlive);
    }

    /** A copy with SO_KEEPALIVE on upstream sockets or not. */
    public UpstreamOptions withKeepAlive(boolean on) {
        return new UpstreamOptions(connectTimeout, bindAddress, on);
    }

    /** A copy binding upstream sockets to {@code address} before connecting. */
    public UpstreamOptions withBindAddress(InetAddress address) {
        return new UpstreamOptions(connectTimeout, Optional.of(address), keepAlive);
    }
}
