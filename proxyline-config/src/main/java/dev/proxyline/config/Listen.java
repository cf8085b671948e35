package dev.proxyline.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code listen} directive. An empty address means nginx's {@code *} (all IPv4 addresses); IPv6
 * wildcard is the literal {@code [::]}. {@code ssl}, {@code http2} and {@code defaultServer} are http only.
 */
public record Listen(Position position, Optional<InetAddress> address, int port, boolean proxyProtocol, int backlog,
                     boolean reusePort, Optional<Boolean> soKeepalive, boolean ssl, boolean http2,
                     boolean defaultServer) {
    /** nginx's NGX_LISTEN_BACKLOG on Linux. */
    public static final int DEFAULT_BACKLOG = 511;

    public Listen {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(soKeepalive, "soKeepalive");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (backlog < 1) throw new IllegalArgumentException("backlog " + backlog);
    }

    /** The socket identity used to detect duplicates, e.g. {@code *:80}, {@code 10.0.0.1:443}, {@code [::]:80}. */
    public String bindKey() {
        if (address.isEmpty()) return "*:" + port;
        InetAddress a = address.get();
        return (a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
    }

    @Override
    public String toString() {
        return bindKey();
    }
}
