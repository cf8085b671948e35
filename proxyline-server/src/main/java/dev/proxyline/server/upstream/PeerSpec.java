package dev.proxyline.server.upstream;

import dev.proxyline.protocol.InetLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One {@code server} line of an {@code upstream} block: {@code server ADDR [weight=N] [max_fails=N]
 * [fail_timeout=T] [backup] [down]}.
 *
 * <p>The address is always a literal; names are resolved (if ever) by whoever builds the specs, never
 * here. {@code server} is the text the configuration used for this server (for example
 * {@code "10.0.0.1:8080"}); {@code hash ... consistent} places a server on its ring by this text, as
 * nginx does, so two configurations that spell a server the same way map keys the same way.
 *
 * @param server       the server text from the configuration, used by consistent hashing
 * @param address      a resolved IP socket address (never unresolved), or a {@link UnixDomainSocketAddress} for
 *                     {@code unix:PATH}
 * @param weight       relative weight, 1 to {@link #MAX_WEIGHT} (nginx default 1)
 * @param maxFails     failures within {@code failTimeout} that make the server unavailable; 0 disables
 *                     the accounting (nginx default 1)
 * @param failTimeout  the failure window and how long the server then stays unavailable (nginx
 *                     default 10s)
 * @param backup       used only when every primary server is unavailable
 * @param down         never chosen
 */
public record PeerSpec(String server, SocketAddress address, int weight, int maxFails,
                       Duration failTimeout, boolean backup, boolean down) {

    /** nginx's default {@code weight}. */
    public static final int DEFAULT_WEIGHT = 1;
    /** nginx's default {@code max_fails}. */
    public static final int DEFAULT_MAX_FAILS = 1;
    /** nginx's default {@code fail_timeout}. */
    public static final Duration DEFAULT_FAIL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The largest accepted weight. nginx has no explicit bound, but consistent hashing places 160
     * points per unit of weight, so an unbounded weight is an unbounded ring.
     */
    public static final int MAX_WEIGHT = 10_000;

    // Keeps fail_timeout well inside a signed 64-bit nanosecond difference.
    private static final Duration MAX_FAIL_TIMEOUT = Duration.ofDays(365);

    /** Validates every field. */
    public PeerSpec {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(failTimeout, "failTimeout");
        if (server.isBlank()) {
            throw new IllegalArgumentException("server text is blank (expected the address as written in the configuration)");
        }
        if (address instanceof InetSocketAddress inet ? inet.isUnresolved() : !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("server \"" + server + "\": address " + address
                    + " is unresolved (expected an IP address literal or a UNIX-domain socket path)");
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("server \"" + server + "\": invalid weight " + weight
                    + " (expected 1 to " + MAX_WEIGHT + ")");
        }
        if (maxFails < 0) {
            throw new IllegalArgumentException("server \"" + server + "\": invalid max_fails " + maxFails + " (expected 0 or more)");
        }
        if (failTimeout.isNegative() || failTimeout.compareTo(MAX_FAIL_TIMEOUT) > 0) {
            throw new IllegalArgumentException("server \"" + server + "\": invalid fail_timeout " + failTimeout
                    + " (expected 0 to " + MAX_FAIL_TIMEOUT.toDays() + " days)");
        }
    }

    /**
     * A server with nginx's defaults from an address literal {@code IPv4:port} or {@code [IPv6]:port};
     * the literal is also the server text.
     *
     * @throws IllegalArgumentException if {@code literal} is not such a literal (names are refused)
     */
    public static PeerSpec of(String literal) {
        return new PeerSpec(literal, parseAddress(literal), DEFAULT_WEIGHT, DEFAULT_MAX_FAILS,
                DEFAULT_FAIL_TIMEOUT, false, false);
    }

    /** A server with nginx's defaults for {@code address}, its server text being the canonical literal. */
    public static PeerSpec of(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("server address " + address + " is unresolved (expected an IP address literal)");
        }
        return new PeerSpec(format(address), address, DEFAULT_WEIGHT, DEFAULT_MAX_FAILS,
                DEFAULT_FAIL_TIMEOUT, false, false);
    }

    /** This server with {@code weight=N}. */
    public PeerSpec withWeight(int newWeight) {
        return new PeerSpec(server, address, newWeight, maxFails, failTimeout, backup, down);
    }

    /** This server with {@code max_fails=N}. */
    public PeerSpec withMaxFails(int newMaxFails) {
        return new PeerSpec(server, address, weight, newMaxFails, failTimeout, backup, down);
    }

    /** This server with {@code fail_timeout=T}. */
    public PeerSpec withFailTimeout(Duration newFailTimeout) {
        return new PeerSpec(server, address, weight, maxFails, newFailTimeout, backup, down);
    }

    /** This server marked {@code backup}. */
    public PeerSpec asBackup() {
        return new PeerSpec(server, address, weight, maxFails, failTimeout, true, down);
    }

    /** This server marked {@code down}. */
    public PeerSpec asDown() {
        return new PeerSpec(server, address, weight, maxFails, failTimeout, backup, true);
    }

    /** {@code a.b.c.d:port}, {@code [v6]:port} or {@code unix:PATH}, the form nginx shows in {@code $upstream_addr}. */
    static String format(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        String host = InetLiterals.format(inet.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    private static InetSocketAddress parseAddress(String literal) {
        Objects.requireNonNull(literal, "literal");
        String host;
        String port;
        if (literal.startsWith("[")) {
            int close = literal.indexOf("]:");
            if (close < 0) {
                throw badAddress(literal);
            }
            host = literal.substring(1, close);
            port = literal.substring(close + 2);
        } else {
            int colon = literal.lastIndexOf(':');
            // A second colon means a bare IPv6 address: its port would be ambiguous, so brackets are required.
            if (colon < 0 || literal.indexOf(':') != colon) {
                throw badAddress(literal);
            }
            host = literal.substring(0, colon);
            port = literal.substring(colon + 1);
        }
        InetAddress address = InetLiterals.parse(host).orElseThrow(() -> badAddress(literal));
        return new InetSocketAddress(address, parsePort(port, literal));
    }

    private static int parsePort(String text, String literal) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw badAddress(literal);
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw badAddress(literal);
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            throw badAddress(literal);
        }
        return port;
    }

    private static IllegalArgumentException badAddress(String literal) {
        return new IllegalArgumentException("invalid server address \"" + literal
                + "\" (expected IPv4:port or [IPv6]:port with a port 1-65535; names are not resolved here)");
    }
}
