package dev.proxyline.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code listen} directive. An empty address means nginx's {@code *} (all IPv4 addresses); IPv6
 * wildcard is the literal {@code [::]}. {@code http2} and {@code defaultServer} are http only ({@code ssl} is in both).
 * {@code ipv6Only} is nginx's {@code ipv6only=} (IPV6_V6ONLY on an IPv6 socket, on by default, so that
 * {@code listen 80} and {@code listen [::]:80} are two sockets that do not collide); it means nothing
 * on an IPv4 address.
 */
public record Listen(Position position, Optional<InetAddress> address, int port, boolean proxyProtocol, int backlog,
                     boolean reusePort, Optional<Boolean> soKeepalive, boolean ipv6Only, boolean ssl, boolean http2,
                     boolean defaultServer) {
    /** nginx's NGX_LISTEN_BACKLOG on Linux. */
    public static final int DEFAULT_BACKLOG = 511;

    private static final InetAddress ANY_IPV4 = anyIpv4();

    public Listen {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(soKeepalive, "soKeepalive");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (backlog < 1) throw new IllegalArgumentException("backlog " + backlog);
    }

    /** The address to bind: the configured one, or {@code 0.0.0.0} for nginx's {@code *} and a bare port. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address.orElse(ANY_IPV4), port);
    }

    /** True if the socket is an IPv6 one, the only kind {@link #ipv6Only} applies to. */
    public boolean isIpv6() {
        return address.filter(Inet6Address.class::isInstance).isPresent();
    }

    /** True for {@code listen 80}, {@code *:80}, {@code 0.0.0.0:80} and {@code [::]:80}: every address of its family. */
    public boolean isWildcard() {
        return address.isEmpty() || address.get().isAnyLocalAddress();
    }

    /**
     * The socket identity used to detect duplicates, e.g. {@code *:80}, {@code 10.0.0.1:443}, {@code [::]:80};
     * {@code 0.0.0.0:80} is {@code *:80}, the same socket.
     */
    public String bindKey() {
        if (isWildcard() && !isIpv6()) return "*:" + port;
        InetAddress a = address.get();
        return (a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
    }

    @Override
    public String toString() {
        return bindKey();
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
