package dev.proxyline.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/** Where a {@code listen} accepts: an IP address and port, or a UNIX-domain socket file. */
public sealed interface ListenAddress {
    /** The address to bind. */
    SocketAddress socketAddress();

    /**
     * The socket identity used to detect duplicates and to key per-socket settings, e.g. {@code *:80},
     * {@code 10.0.0.1:443}, {@code [::]:80}, {@code unix:/run/ingress.sock}.
     */
    String bindKey();

    /**
     * An IP listen. An empty host means nginx's {@code *} (all IPv4 addresses); the IPv6 wildcard is the literal
     * {@code [::]}.
     */
    record Ip(Optional<InetAddress> host, int port) implements ListenAddress {
        private static final InetAddress ANY_IPV4 = anyIpv4();

        public Ip {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        }

        /** The configured address, or {@code 0.0.0.0} for nginx's {@code *} and a bare port. */
        @Override
        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(host.orElse(ANY_IPV4), port);
        }

        /** {@code 0.0.0.0:80} is {@code *:80}, the same socket. */
        @Override
        public String bindKey() {
            if (isWildcard() && !isIpv6()) return "*:" + port;
            InetAddress a = host.get();
            return (a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
        }

        boolean isIpv6() {
            return host.filter(Inet6Address.class::isInstance).isPresent();
        }

        boolean isWildcard() {
            return host.isEmpty() || host.get().isAnyLocalAddress();
        }

        private static InetAddress anyIpv4() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
        }
    }

    /** {@code unix:PATH}: the path as written (a relative one is relative to the working directory, as in nginx). */
    record Unix(String path) implements ListenAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
            if (path.isEmpty()) throw new IllegalArgumentException("empty socket path");
        }

        @Override
        public UnixDomainSocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String bindKey() {
            return "unix:" + path;
        }
    }
}
