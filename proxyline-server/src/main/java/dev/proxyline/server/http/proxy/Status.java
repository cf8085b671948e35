package dev.proxyline.server.http.proxy;

import java.util.Map;

/** The short bodies of the answers the ingress makes itself, as nginx's built-in error pages are. */
final class Status {
    /** nginx's non-standard 444: close the connection without sending a response. */
    static final int CLOSE_WITHOUT_RESPONSE = 444;

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Continue"), Map.entry(101, "Switching Protocols"), Map.entry(200, "OK"),
            Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(307, "Temporary Redirect"), Map.entry(308, "Permanent Redirect"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Request Entity Too Large"),
            Map.entry(414, "Request-URI Too Large"), Map.entry(505, "HTTP Version Not Supported"),
            Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Temporarily Unavailable"), Map.entry(504, "Gateway Timeout"));

    // Boxed once: each request's $upstream_status is a list element, and 200 is beyond Integer's own cache.
    private static final Integer[] BOXED = new Integer[600];

    static {
        for (int i = 0; i < BOXED.length; i++) BOXED[i] = i;
    }

    private Status() {
    }

    /** {@code code} boxed, without a new object for the codes HTTP defines. */
    static Integer boxed(int code) {
        return code >= 0 && code < BOXED.length ? BOXED[code] : Integer.valueOf(code);
    }

    static String reason(int code) {
        return REASONS.getOrDefault(code, "");
    }

    /** {@code 502 Bad Gateway\n}: what clients and curl users read. */
    static String body(int code) {
        String reason = reason(code);
        return code + (reason.isEmpty() ? "" : " " + reason) + "\n";
    }

    /** Whether {@code return CODE TEXT} takes TEXT as a Location (redirect codes), as nginx does. */
    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
