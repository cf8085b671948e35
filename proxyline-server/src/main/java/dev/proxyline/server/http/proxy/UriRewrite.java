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
 */
public record UriRewrite(Optional<String> replacement, String prefix, boolean exact) {
    public UriRewrite {
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(prefix, "prefix");
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
        if (replacement.isEmpty()) {
            return requestUri;
        }
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
