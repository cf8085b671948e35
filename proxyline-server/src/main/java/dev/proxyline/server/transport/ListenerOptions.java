package dev.proxyline.server.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Socket settings of one {@code listen} directive.
 *
 * @param address the local address and port to bind
 * @param backlog the accept queue length ({@code listen ... backlog=}); nginx's default is 511
 * @param reusePort SO_REUSEPORT ({@code listen ... reuseport}): with epoll one listening socket per
 *     worker, the kernel spreading connections across them; with NIO the option on the one socket
 * @param keepAlive SO_KEEPALIVE on accepted sockets ({@code listen ... so_keepalive=on})
 * @param ipv6Only IPV6_V6ONLY on an IPv6 socket ({@code listen ... ipv6only=}, on by default as in nginx):
 *     {@code [::]} then accepts IPv6 clients only and leaves IPv4 to a {@code listen PORT} of its own
 * @param acceptsPerWakeup how many connections one readiness event of the listening socket accepts at most
 *     ({@code multi_accept}): 1 as nginx's {@code off}, unlimited (until the queue is empty) as its {@code on}
 * @param receiveBufferSize SO_RCVBUF of accepted sockets ({@code listen ... rcvbuf=}); empty keeps the
 *     kernel default, which lets TCP autotune the window
 */
public record ListenerOptions(
        InetSocketAddress address, int backlog, boolean reusePort, boolean keepAlive, boolean ipv6Only,
        int acceptsPerWakeup, OptionalInt receiveBufferSize) {

    /** nginx's default listen backlog on Linux. */
    public static final int DEFAULT_BACKLOG = 511;
    /**
     * Without {@code multi_accept}: Netty's batch for listening sockets, enough to drain a burst, few enough that
     * one busy listener does not keep its loop from the connections it already has.
     */
    public static final int DEFAULT_ACCEPTS_PER_WAKEUP = 16;

    /** Validates the settings. */
    public ListenerOptions {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(receiveBufferSize, "receiveBufferSize");
        if (backlog < 1) {
            throw new IllegalArgumentException("listen backlog: " + backlog + " (expected at least 1)");
        }
        if (acceptsPerWakeup < 1) {
            throw new IllegalArgumentException("accepts per wake-up: " + acceptsPerWakeup + " (expected at least 1)");
        }
        if (receiveBufferSize.isPresent() && receiveBufferSize.getAsInt() < 1) {
            throw new IllegalArgumentException(
                    "listen rcvbuf: " + receiveBufferSize.getAsInt() + " (expected at least 1)");
        }
    }

    /**
     * Defaults for an address: backlog 511, no SO_REUSEPORT, no keepalive, IPv6 only, the default accept batch,
     * kernel receive buffer.
     */
    public static ListenerOptions of(InetSocketAddress address) {
        return new ListenerOptions(address, DEFAULT_BACKLOG, false, false, true, DEFAULT_ACCEPTS_PER_WAKEUP,
                OptionalInt.empty());
    }

    /** True if the socket to bind is an IPv6 one, the only kind {@link #ipv6Only} applies to. */
    public boolean isIpv6() {
        return address.getAddress() instanceof Inet6Address;
    }

    /** A copy with SO_REUSEPORT set as given. */
    public ListenerOptions withReusePort(boolean reusePort) {
        return new ListenerOptions(address, backlog, reusePort, keepAlive, ipv6Only, acceptsPerWakeup, receiveBufferSize);
    }

    /** A copy with SO_KEEPALIVE set as given. */
    public ListenerOptions withKeepAlive(boolean keepAlive) {
        return new ListenerOptions(address, backlog, reusePort, keepAlive, ipv6Only, acceptsPerWakeup, receiveBufferSize);
    }
}
