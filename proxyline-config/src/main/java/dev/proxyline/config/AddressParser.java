package dev.proxyline.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses the address forms nginx accepts ({@code host:port}, {@code [v6]:port}, {@code unix:/path}) from
 * literals only. Host names become {@link Endpoint.Host} and are never resolved here.
 */
final class AddressParser {
    /** Linux's {@code sizeof(sun_path)}, which nginx compares the path and its terminating zero with. */
    private static final int MAX_UNIX_PATH = 108;

    private AddressParser() {}

    /** Host and port as written, before the host is classified. */
    record HostPort(String host, OptionalInt port, boolean bracketed) {}

    /** Splits {@code host[:port]} / {@code [v6][:port]}; empty when the shape is wrong (e.g. bad port). */
    static Optional<HostPort> split(String s) {
        String host;
        String port = null;
        boolean bracketed = false;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) return Optional.empty();
            host = s.substring(1, close);
            bracketed = true;
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) return Optional.empty();
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) return Optional.empty(); // bare IPv6 needs brackets
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) return Optional.empty();
        OptionalInt p = OptionalInt.empty();
        if (port != null) {
            p = port(port);
            if (p.isEmpty()) return Optional.empty();
        }
        return Optional.of(new HostPort(host, p, bracketed));
    }

    static OptionalInt port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) return OptionalInt.empty();
        int v = Integer.parseInt(s);
        return v >= 1 && v <= 65535 ? OptionalInt.of(v) : OptionalInt.empty();
    }

    /**
     * An upstream/proxy_pass endpoint. {@code defaultPort} is empty where nginx requires a port (stream).
     * Returns the error message on the left when invalid.
     */
    static Result endpoint(String s, OptionalInt defaultPort) {
        if (s.startsWith("unix:")) return unix(s.substring(5));
        Optional<HostPort> hp = split(s);
        if (hp.isEmpty()) return Result.error("invalid address \"" + s + "\" (expected HOST:PORT, [IPv6]:PORT or unix:PATH)");
        HostPort h = hp.get();
        OptionalInt port = h.port().isPresent() ? h.port() : defaultPort;
        if (port.isEmpty()) return Result.error("no port in \"" + s + "\"");
        Optional<InetAddress> literal = InetLiteral.parse(h.host());
        if (literal.isPresent()) return Result.ok(new Endpoint.Inet(literal.get(), port.getAsInt()));
        if (h.bracketed()) return Result.error("invalid IPv6 address \"" + h.host() + "\"");
        if (!isHostName(h.host())) return Result.error("invalid host name \"" + h.host() + "\"");
        return Result.ok(new Endpoint.Host(h.host(), port.getAsInt()));
    }

    /**
     * The path of {@code unix:PATH}, checked as nginx checks it: not empty, and short enough for {@code sun_path}
     * (108 bytes with the terminating zero).
     */
    static Result unix(String path) {
        if (path.isEmpty()) return Result.error("no path in the unix domain socket");
        if (path.getBytes(StandardCharsets.UTF_8).length >= MAX_UNIX_PATH) {
            return Result.error("too long path in the unix domain socket");
        }
        return Result.ok(new Endpoint.Unix(path));
    }

    /** A DNS-style name; all-numeric dotted names are rejected since they are mistyped IPv4 literals. */
    static boolean isHostName(String s) {
        if (s.length() > 253 || s.startsWith(".") || s.startsWith("-")) return false;
        boolean nonNumeric = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_';
            if (!ok) return false;
            if (!Character.isDigit(c) && c != '.') nonNumeric = true;
        }
        return nonNumeric;
    }

    /** An endpoint or the reason it is not one. */
    record Result(Optional<Endpoint> endpoint, String error) {
        static Result ok(Endpoint e) {
            return new Result(Optional.of(e), "");
        }

        static Result error(String message) {
            return new Result(Optional.empty(), message);
        }
    }
}
