package dev.proxyline.server.http.routing;

import java.util.Objects;

/**
 * The request-target of an HTTP/1 request line in its two forms a server must accept (RFC 9112 §3.2):
 * origin-form ({@code /path?query}) and absolute-form ({@code http://host:port/path?query}), whose host
 * replaces the {@code Host} header (RFC 9112 §3.2.2, as nginx does) and whose path and query are routed.
 */
public sealed interface RequestTarget {

    /** Anything but absolute-form: routed as it is (the location router judges it). */
    record AsSent() implements RequestTarget {}

    /** Absolute-form: the authority (the host to serve) and the origin-form that remains. */
    record Absolute(String authority, String originForm) implements RequestTarget {
        public Absolute {
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(originForm, "originForm");
        }
    }

    /** An absolute-form target without a usable host: 400, as nginx's "invalid host in request line". */
    record BadHost(String reason) implements RequestTarget {}

    AsSent AS_SENT = new AsSent();

    /** Reads {@code target}: only an {@code http://} or {@code https://} target (any case) is absolute-form. */
    static RequestTarget of(String target) {
        int start = target.regionMatches(true, 0, "http://", 0, 7) ? 7
                : target.regionMatches(true, 0, "https://", 0, 8) ? 8 : -1;
        if (start < 0) return AS_SENT;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) end++;
        String authority = target.substring(start, end);
        if (authority.isEmpty()) return new BadHost("no host in the request line");
        if (authority.indexOf('@') >= 0) return new BadHost("user information in the request line's host");
        String rest = target.substring(end);
        return new Absolute(authority, rest.startsWith("/") ? rest : "/" + rest);
    }
}
