package dev.proxyline.server.tls;

import dev.proxyline.config.InetLiteral;
import dev.proxyline.server.http.realip.AddressText;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An OCSP responder's {@code http://} URL (the certificate's or {@code ssl_stapling_responder}'s), split as nginx
 * splits it. Nothing is looked up here: a name is resolved at start and, with a {@code resolver}, again for each
 * request (see {@link OcspStapler}).
 *
 * @param host    the host as written (an IPv6 address in its brackets): the Host field, the log, the name to look up
 * @param port    80 unless written
 * @param path    the path as written, {@code /} when there is none
 * @param literal the address when the host is an IP address, which is asked without any lookup
 */
record OcspResponderUrl(String host, int port, String path, Optional<InetAddress> literal) {
    private static final String PREFIX = "http://";

    /** The URL, or why it cannot be asked, in nginx's words. */
    sealed interface Parsed {
    }

    record Usable(OcspResponderUrl url) implements Parsed {
    }

    record Unusable(String problem) implements Parsed {
    }

    static Parsed parse(String url) {
        if (url.length() <= PREFIX.length() || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return new Unusable("invalid URL prefix in OCSP responder \"" + url + "\"");
        }
        // As nginx, the problems after the prefix quote the URL without it.
        String rest = url.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        String host = authority;
        int port = 80;
        int close = authority.startsWith("[") ? authority.indexOf(']') : -1;
        if (authority.startsWith("[") && close < 0) return unusable("invalid IPv6 address", rest);
        int colon = authority.indexOf(':', Math.max(close, 0));
        if (colon >= 0) {
            host = authority.substring(0, colon);
            port = AddressText.port(authority.substring(colon + 1));
            if (port < 1) return unusable("invalid port", rest);
        } else if (close >= 0 && close != authority.length() - 1) {
            return unusable("invalid IPv6 address", rest);
        }
        if (host.isEmpty()) return unusable("no host", rest);
        Optional<InetAddress> literal = close >= 0 ? InetLiteral.parse(host.substring(1, close))
                : host.indexOf(':') < 0 ? InetLiteral.parse(host) : Optional.empty();
        if (close >= 0 && literal.isEmpty()) return unusable("invalid IPv6 address", rest);
        return new Usable(new OcspResponderUrl(host, port, path, literal));
    }

    private static Unusable unusable(String what, String withoutPrefix) {
        return new Unusable(what + " in OCSP responder \"" + withoutPrefix + "\"");
    }

    /** {@code HOST:PORT} for the log's {@code peer}, with the address the request went to. */
    static String peer(InetAddress address, int port) {
        String text = AddressText.ip(address);
        return (address.getAddress().length == 16 ? "[" + text + "]" : text) + ":" + port;
    }
}
