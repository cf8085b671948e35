package dev.proxyline.server.http.realip;

import dev.proxyline.config.Cidr;
import dev.proxyline.config.HttpSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * nginx's {@code ngx_http_realip_module}: replaces the client address with one sent by a trusted
 * proxy. Plain Java, no Netty types (DESIGN.md); one instance per merged {@code server}/{@code location}
 * configuration, safe to share between threads.
 *
 * <p>Semantics follow nginx exactly:
 * <ul>
 *   <li>The address that must be trusted ({@code set_real_ip_from}) is always the socket peer, also
 *       with {@code real_ip_header proxy_protocol}: nginx checks {@code c->sockaddr}, the balancer.</li>
 *   <li>{@code X-Real-IP} or any other header name: the first field of that name, read as a list
 *       exactly like one X-Forwarded-For field (nginx runs the same walk on it). Entries are
 *       {@code ADDR}, {@code IPv4:PORT} or {@code [IPv6]:PORT}.</li>
 *   <li>{@code X-Forwarded-For}: every field, read right to left (last field first), each split on
 *       commas and spaces. Without recursion the rightmost entry is taken. With recursion the walk
 *       continues left while the address just taken is itself trusted, and ends at the first
 *       untrusted one; an entry that does not parse ends the walk with the last good address (or no
 *       change if there was none).</li>
 *   <li>{@code proxy_protocol}: the PROXY header's source address <em>and port</em>; no header (or
 *       one without addresses: LOCAL, UNKNOWN, AF_UNIX) means no change.</li>
 *   <li>An untrusted peer never changes {@code $remote_addr}.</li>
 * </ul>
 */
public final class RealIp {
    /** The value of {@code real_ip_header} that reads the PROXY header. */
    public static final String PROXY_PROTOCOL = HttpSettings.RealIp.PROXY_PROTOCOL;
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    public static final String X_REAL_IP = "X-Real-IP";

    private final List<Cidr> from;
    private final boolean fromUnix;
    private final String header;
    private final boolean recursive;

    /**
     * @param from      {@code set_real_ip_from} blocks; empty trusts nobody
     * @param fromUnix  {@code set_real_ip_from unix:}
     * @param header    {@code real_ip_header}: a header name or {@link #PROXY_PROTOCOL}
     * @param recursive {@code real_ip_recursive on}
     */
    public RealIp(List<Cidr> from, boolean fromUnix, String header, boolean recursive) {
        this.from = List.copyOf(from);
        this.fromUnix = fromUnix;
        this.header = Objects.requireNonNull(header, "header");
        if (header.isEmpty()) throw new IllegalArgumentException("real_ip_header is empty");
        this.recursive = recursive;
    }

    public static RealIp of(HttpSettings.RealIp settings) {
        return new RealIp(settings.from(), settings.fromUnix(), settings.header(), settings.recursive());
    }

    /** Whether {@code real_ip_header proxy_protocol} is configured. */
    public boolean usesProxyProtocol() {
        return header.equalsIgnoreCase(PROXY_PROTOCOL);
    }

    /**
     * Whether {@code address} is in {@code set_real_ip_from}. Like nginx's {@code ngx_cidr_match}, an
     * IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}, what a dual-stack socket reports for an IPv4
     * client) is matched as the IPv4 address, and so only against IPv4 blocks. Anything that is not an
     * IP socket counts as a UNIX socket.
     */
    public boolean trusts(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a != null && trusts(a);
        }
        return fromUnix;
    }

    public boolean trusts(InetAddress address) {
        InetAddress a = unmapped(address);
        for (Cidr c : from) if (c.contains(a)) return true;
        return false;
    }

    private static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) return address;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return address;
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) return address;
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 bytes are an IPv4 address", e);
        }
    }

    /**
     * Whether {@link #resolve} reads the request headers on {@code connection}; if not, its outcome is the
     * same for every request of the connection (a PROXY header's source, or the untrusted peer).
     */
    public boolean readsHeaders(Connection connection) {
        return !usesProxyProtocol() && trusts(connection.peer());
    }

    /**
     * Runs the module for one request.
     *
     * @param connection the socket peer and the PROXY header source, if one was received
     * @param headers    the request headers as received
     */
    public Result resolve(Connection connection, Headers headers) {
        SocketAddress peer = connection.peer();
        if (!trusts(peer)) return Result.unchanged(peer);
        if (usesProxyProtocol()) {
            return connection.proxySource()
                    .map(src -> new Result(src, peer, true))
                    .orElseGet(() -> Result.unchanged(peer));
        }
        if (header.equalsIgnoreCase(X_FORWARDED_FOR)) {
            Optional<InetSocketAddress> found = walkForwardedFor(headers.all(X_FORWARDED_FOR));
            return found.map(a -> new Result(a, peer, true)).orElseGet(() -> Result.unchanged(peer));
        }
        // nginx takes the first field of the configured name and reads it with the same list walk
        // as X-Forwarded-For (ngx_http_get_forwarded_addr with one value), so a list works there too.
        return headers.first(header)
                .flatMap(v -> walkForwardedFor(List.of(v)))
                .map(a -> new Result(a, peer, true))
                .orElseGet(() -> Result.unchanged(peer));
    }

    /**
     * The peer is already known to be trusted. Fields are walked last first, as nginx reverses the
     * list; within a field the entry taken last must be trusted before the walk looks further left.
     * An empty or malformed entry ends the walk with the last good address, none if there was none.
     */
    private Optional<InetSocketAddress> walkForwardedFor(List<String> fields) {
        InetSocketAddress found = null;
        for (int f = fields.size() - 1; f >= 0; f--) {
            String value = fields.get(f);
            int end = value.length();
            int start;
            do {
                if (found != null && !trusts(found.getAddress())) return Optional.of(found);
                while (end > 0 && isSeparator(value.charAt(end - 1))) end--;
                start = end;
                while (start > 0 && !isSeparator(value.charAt(start - 1))) start--;
                Optional<InetSocketAddress> parsed = start == end
                        ? Optional.empty()
                        : AddressText.parseAddrPort(value.substring(start, end));
                if (parsed.isEmpty()) return Optional.ofNullable(found);
                found = parsed.get();
                if (!recursive) return Optional.of(found);
                end = start;
            } while (start > 0);
        }
        return Optional.ofNullable(found);
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == ',';
    }

    /** What the connection offers the module. */
    public record Connection(SocketAddress peer, Optional<InetSocketAddress> proxySource) {
        public Connection {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(proxySource, "proxySource");
        }

        /** A connection without a PROXY header. */
        public static Connection direct(SocketAddress peer) {
            return new Connection(peer, Optional.empty());
        }

        /**
         * From the PROXY stage's record. The header's source is offered whenever a header with IP
         * addresses arrived; whether it counts is decided here by {@code set_real_ip_from}, as nginx does.
         */
        public static Connection of(dev.proxyline.protocol.netty.ProxiedConnection c) {
            return new Connection(c.peer(), c.header()
                    .filter(h -> !h.useConnectionAddresses())
                    .flatMap(dev.proxyline.protocol.ProxyHeader::sourceAddress));
        }
    }

    /**
     * The module's outcome.
     *
     * @param remote       the client as {@code $remote_addr}/{@code $remote_port} see it
     * @param realipRemote the socket peer: {@code $realip_remote_addr}/{@code $realip_remote_port}
     * @param changed      whether the address was replaced
     */
    public record Result(SocketAddress remote, SocketAddress realipRemote, boolean changed) {
        public Result {
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(realipRemote, "realipRemote");
        }

        static Result unchanged(SocketAddress peer) {
            return new Result(peer, peer, false);
        }

        public String remoteAddr() {
            return AddressText.addr(remote);
        }

        /** Empty when the header carried no port, as nginx prints a zero port. */
        public String remotePort() {
            return AddressText.port(remote);
        }

        public String realipRemoteAddr() {
            return AddressText.addr(realipRemote);
        }

        public String realipRemotePort() {
            return AddressText.port(realipRemote);
        }
    }
}
