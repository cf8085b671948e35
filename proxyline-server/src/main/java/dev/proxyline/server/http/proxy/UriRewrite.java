package dev.proxyline.server.http.proxy;

import java.util.Objects;
import java.util.Optional;

/**
 * nginx's URI rule for {@code proxy_pass}: without a URI part the request URI goes upstream as the
 * client sent it; with one ({@code proxy_pass http://app/v2/}) the part of the path that matched a
 * prefix location is replaced by it, and the query string is kept.
 *
 * @param replacement the URI part of {@code proxy_pass}, if any
 * @param prefix      the matched prefix location's pattern ({@code /api/}); for an exact location
 *                    the whole path is replaced
 * @param exact       whether the location is {@code location = PATH}
 * @param verbatim    the replacement is the whole request target, the request's path and query left out: nginx's
 *                    rule for the URI part of a {@code proxy_pass} with variables
 */
public record UriRewrite(Optional<String> replacement, String prefix, boolean exact, boolean verbatim) {
    public UriRewrite {
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(prefix, "prefix");
        if (verbatim && replacement.isEmpty()) throw new IllegalArgumentException("a verbatim target needs a URI");
    }

    /** A literal {@code proxy_pass}'s rule. */
    public UriRewrite(Optional<String> replacement, String prefix, boolean exact) {
        this(replacement, prefix, exact, false);
    }

    /** Sends {@code target} as it is, whatever the request's URI (a {@code proxy_pass} with variables and a URI). */
    public static UriRewrite verbatim(String target) {
        return new UriRewrite(Optional.of(target), "", false, true);
    }

    /** Passes the request URI unchanged. */
    public static UriRewrite unchanged() {
        return new UriRewrite(Optional.empty(), "", false);
    }

    /**
     * The request target to send upstream.
     *
     * @param requestUri the request target as received ({@code $request_uri})
     * @param path       the normalized path the location matched ({@code $uri})
     */
    public String apply(String requestUri, String path) {
        return applyTo(requestUri, path);
    }

    /**
     * The request target to send upstream after a {@code rewrite} changed the URI: built from the new path and
     * arguments, with this rule's replacement of the matched prefix, unless the change came from a {@code break}
     * rewrite in the proxying location, where nginx passes the whole new URI and ignores the URI part.
     *
     * @param path           the new path ({@code $uri}), as normalized paths are: reserved characters still escaped
     * @param args           the new arguments ({@code $args})
     * @param wholeUri       whether the URI part is ignored
     */
    public String rewritten(String path, String args, boolean wholeUri) {
        if (verbatim) return replacement.get();
        String target;
        if (replacement.isEmpty() || wholeUri) {
            target = escape(path);
        } else if (exact) {
            target = replacement.get();
        } else {
            target = replacement.get() + escape(path.length() >= prefix.length() ? path.substring(prefix.length()) : "");
        }
        return args.isEmpty() ? target : target + "?" + args;
    }

    /**
     * Escapes what a request target cannot carry as it is: controls, space, {@code #} and non-ASCII (as UTF-8). A
     * {@code %} stays, since the path keeps the client's escapes of reserved characters.
     */
    static String escape(String path) {
        int i = 0;
        while (i < path.length() && !needsEscape(path.charAt(i))) i++;
        if (i == path.length()) return path;
        StringBuilder out = new StringBuilder(path.length() + 16).append(path, 0, i);
        for (byte b : path.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (needsEscape(c)) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean needsEscape(char c) {
        return c <= ' ' || c == '#' || c >= 0x7f;
    }

    private String applyTo(String requestUri, String path) {
        if (replacement.isEmpty()) {
            return requestUri;
        }
        if (verbatim) return replacement.get();
        int q = requestUri.indexOf('?');
        String query = q < 0 ? "" : requestUri.substring(q);
        String rest;
        if (exact) {
            rest = "";
        } else {
            // The raw path keeps the client's escaping; fall back to the normalized one when the
            // client's spelling does not start with the prefix (dot segments, escapes).
            String rawPath = q < 0 ? requestUri : requestUri.substring(0, q);
            String base = rawPath.startsWith(prefix) ? rawPath : path;
            rest = base.length() >= prefix.length() ? base.substring(prefix.length()) : "";
        }
        return replacement.get() + rest + query;
    }
}
