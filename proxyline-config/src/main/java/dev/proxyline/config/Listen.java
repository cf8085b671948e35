package dev.proxyline.config;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code listen} directive. {@code http2} and {@code defaultServer} are http only ({@code ssl} is in both).
 * {@code ipv6Only} is nginx's {@code ipv6only=} (IPV6_V6ONLY on an IPv6 socket, on by default, so that
 * {@code listen 80} and {@code listen [::]:80} are two sockets that do not collide); it means nothing
 * on an IPv4 address or a UNIX socket, and neither do {@code reuseport} and {@code so_keepalive} on a UNIX socket
 * (nginx accepts them there silently).
 */
public record Listen(Position position, ListenAddress address, boolean proxyProtocol, int backlog,
                     boolean reusePort, Optional<Boolean> soKeepalive, boolean ipv6Only, boolean ssl, boolean http2,
                     boolean defaultServer) {
    /** nginx's NGX_LISTEN_BACKLOG on Linux. */
    public static final int DEFAULT_BACKLOG = 511;

    public Listen {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(soKeepalive, "soKeepalive");
        if (backlog < 1) throw new IllegalArgumentException("backlog " + backlog);
    }

    /** The address to bind: see {@link ListenAddress#socketAddress()}. */
    public SocketAddress socketAddress() {
        return address.socketAddress();
    }

    /** True if the socket is an IPv6 one, the only kind {@link #ipv6Only} applies to. */
    public boolean isIpv6() {
        return address instanceof ListenAddress.Ip ip && ip.isIpv6();
    }

    /** True for {@code listen 80}, {@code *:80}, {@code 0.0.0.0:80} and {@code [::]:80}: every address of its family. */
    public boolean isWildcard() {
        return address instanceof ListenAddress.Ip ip && ip.isWildcard();
    }

    /** See {@link ListenAddress#bindKey()}. */
    public String bindKey() {
        return address.bindKey();
    }

    @Override
    public String toString() {
        return bindKey();
    }
}
