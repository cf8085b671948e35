package dev.proxyline.server.http.realip;

import dev.proxyline.config.InetLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Address text exactly as nginx prints and parses it for the realip module, without a resolver.
 */
public final class AddressText {
    private AddressText() {}

    /**
     * nginx's {@code ngx_parse_addr_port}: {@code ADDR}, {@code IPv4:PORT} or {@code [IPv6]:PORT}
     * (port 1-65535); a missing port is 0, which {@code $remote_port} prints as empty. A bracketed
     * IPv6 without a port, a zone id, or a host name is rejected. Literals go through
     * {@link InetLiteral}, which is stricter than nginx in one way: an IPv4 octet with a leading zero
     * ({@code 010.0.0.1}) is rejected, since other parsers read it as octal and the two would disagree.
     */
    public static Optional<InetSocketAddress> parseAddrPort(String text) {
        Optional<InetAddress> whole = literal(text);
        if (whole.isPresent()) return Optional.of(new InetSocketAddress(whole.get(), 0));
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close == text.length() - 1 || text.charAt(close + 1) != ':') return Optional.empty();
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.indexOf(':');
            if (colon < 0) return Optional.empty();
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p = port(port);
        if (p < 1) return Optional.empty();
        return literal(host).map(a -> new InetSocketAddress(a, p));
    }

    private static Optional<InetAddress> literal(String s) {
        // nginx's ngx_inet_addr returns INADDR_NONE for the broadcast address, so it never parses.
        if (s.equals("255.255.255.255")) return Optional.empty();
        return InetLiteral.parse(s);
    }

    /** A port written in decimal digits only, 0 to 65535, as nginx reads one; -1 for anything else. */
    public static int port(String s) {
        if (s.isEmpty() || s.length() > 5) return -1;
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= 65535 ? v : -1;
    }

    /** {@code $remote_addr} text: dotted IPv4, RFC 5952 IPv6 (v4-mapped as {@code ::ffff:a.b.c.d}), {@code unix:}. */
    public static String addr(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) return ip(inet.getAddress());
        return "unix:";
    }

    /** {@code $remote_port} text: the port, or empty when there is none (0, or a UNIX socket). */
    public static String port(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getPort() > 0) return Integer.toString(inet.getPort());
        return "";
    }

    /**
     * An IP address as nginx's {@code ngx_inet6_ntop} writes it: lower-case hex, the first longest run
     * of two or more zero groups as "::", and the last 32 bits dotted for IPv4-mapped
     * ({@code ::ffff:a.b.c.d}) and IPv4-compatible ({@code ::a.b.c.d}) addresses, but not for
     * {@code ::}, {@code ::1} and the like.
     */
    public static String ip(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address)) return dotted(b, 0);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int zero = -1;
        int max = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > max) {
                zero = i;
                max = j - i;
            }
            i = j;
        }
        int groups = 8;
        if (zero == 0 && ((max == 5 && g[5] == 0xffff) || max == 6
                || (max == 7 && (b[14] & 0xff) != 0 && (b[15] & 0xff) != 1))) {
            groups = 6;
        }
        StringBuilder sb = new StringBuilder();
        if (zero == 0) sb.append(':');
        for (int i = 0; i < groups; i++) {
            if (i == zero) {
                sb.append(':');
                i += max - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        if (groups == 6) sb.append(dotted(b, 12));
        return sb.toString();
    }

    private static String dotted(byte[] b, int from) {
        return (b[from] & 0xff) + "." + (b[from + 1] & 0xff) + "." + (b[from + 2] & 0xff) + "." + (b[from + 3] & 0xff);
    }
}
