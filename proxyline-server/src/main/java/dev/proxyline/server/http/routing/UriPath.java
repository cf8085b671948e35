package dev.proxyline.server.http.routing;

import java.util.Objects;

/**
 * Normalises a request path before location matching, like nginx's complex-URI parsing with
 * {@code merge_slashes on}: the query ({@code ?}) and fragment ({@code #}) are cut off, {@code %XX} escapes
 * of unreserved characters (RFC 3986: letters, digits, {@code -._~}) are decoded, the hex digits of the
 * other escapes are upper-cased, runs of {@code /} are merged, and {@code .} and {@code ..} segments are
 * resolved. A path that climbs above the root, a malformed escape or an escaped NUL is a 400.
 *
 * <p>Unlike nginx, reserved characters stay escaped: nginx decodes {@code %2F} into a path separator,
 * which lets {@code /a%2Fb} match {@code location /a/}; keeping it escaped is what a proxy that passes the
 * URI on needs, and {@code %2E} is still decoded, so {@code /%2e%2e/} cannot sneak past the {@code ..} check.
 */
public final class UriPath {
    private UriPath() {
    }

    /** The outcome of {@link #normalize}. */
    public sealed interface Result {
    }

    /** A normalised path, always starting with {@code /}. */
    public record Normal(String path) implements Result {
        public Normal {
            Objects.requireNonNull(path, "path");
        }
    }

    /** The request must be answered with 400 Bad Request. */
    public record BadRequest(String reason) implements Result {
        public BadRequest {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static final BadRequest NOT_ABSOLUTE = new BadRequest("path does not start with \"/\"");
    static final BadRequest ABOVE_ROOT = new BadRequest("path climbs above the root with \"..\"");
    static final BadRequest BAD_ESCAPE = new BadRequest("malformed %-escape (expected % and two hex digits)");
    static final BadRequest NUL = new BadRequest("escaped NUL (%00) in path");

    /**
     * Normalises {@code rawPath}, the request-target in origin form (path with optional query). Returns the
     * same string inside {@link Normal} when nothing needs to change.
     */
    public static Result normalize(String rawPath) {
        Objects.requireNonNull(rawPath, "rawPath");
        int end = rawPath.length();
        for (int i = 0; i < end; i++) {
            char c = rawPath.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        if (end == 0 || rawPath.charAt(0) != '/') return NOT_ABSOLUTE;
        if (isNormal(rawPath, end)) return new Normal(end == rawPath.length() ? rawPath : rawPath.substring(0, end));
        return slowPath(rawPath, end);
    }

    /** Most paths need no rewriting; checking that first avoids a StringBuilder per request. */
    private static boolean isNormal(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '%') return false;
            if (c == '/' && i + 1 < end) {
                char n = s.charAt(i + 1);
                if (n == '/') return false;
                if (n == '.' && isDotSegment(s, i + 1, end)) return false;
            }
        }
        return true;
    }

    /** Whether the segment starting at {@code from} (a {@code .}) is {@code .} or {@code ..}. */
    private static boolean isDotSegment(String s, int from, int end) {
        int next = from + 1;
        if (next == end || s.charAt(next) == '/') return true;
        if (s.charAt(next) != '.') return false;
        next++;
        return next == end || s.charAt(next) == '/';
    }

    private static Result slowPath(String s, int end) {
        // Decode first, so that dot segments spelled with %2E are resolved like literal ones.
        StringBuilder decoded = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= end) return BAD_ESCAPE;
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0 || s.charAt(i + 1) > 'f' || s.charAt(i + 2) > 'f') return BAD_ESCAPE;
            char v = (char) (hi << 4 | lo);
            if (v == 0) return NUL;
            if (isUnreserved(v)) {
                decoded.append(v);
            } else {
                decoded.append('%').append(Character.toUpperCase(s.charAt(i + 1)))
                        .append(Character.toUpperCase(s.charAt(i + 2)));
            }
            i += 2;
        }
        StringBuilder out = new StringBuilder(decoded.length());
        int n = decoded.length();
        int i = 0;
        while (i < n) {
            // decoded.charAt(i) is '/' here: the path starts with one and every segment ends at one.
            int start = i + 1;
            while (start < n && decoded.charAt(start) == '/') start++;
            int stop = start;
            while (stop < n && decoded.charAt(stop) != '/') stop++;
            int len = stop - start;
            boolean trailing = stop == n;
            if (len == 1 && decoded.charAt(start) == '.') {
                if (trailing) out.append('/');
            } else if (len == 2 && decoded.charAt(start) == '.' && decoded.charAt(start + 1) == '.') {
                int cut = out.lastIndexOf("/");
                if (cut < 0) return ABOVE_ROOT;
                out.setLength(cut);
                if (trailing) out.append('/');
            } else {
                out.append('/').append(decoded, start, stop);
            }
            i = stop;
        }
        if (out.length() == 0) out.append('/');
        return new Normal(out.toString());
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
