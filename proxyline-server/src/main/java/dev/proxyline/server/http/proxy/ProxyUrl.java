package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.AddressText;
import java.util.Objects;
import java.util.Optional;

/**
 * The URL of a {@code proxy_pass} with variables once expanded, read as nginx 1.22 reads it per request
 * ({@code ngx_http_proxy_eval}): {@code http://} or {@code https://} in any case, a host (a {@code [v6]} literal in
 * brackets, kept with them, as nginx's {@code $proxy_host}), an optional port, and the URI part from the first
 * {@code /} or {@code ?} on (one starting with {@code ?} gets a {@code /} in front).
 *
 * @param https  the scheme is {@code https}
 * @param host   the host as written
 * @param port   the port written, else the scheme's (80, 443)
 * @param noPort no port was written
 * @param uri    the URI part, if any: then the request is sent with exactly it
 */
public record ProxyUrl(boolean https, String host, int port, boolean noPort, Optional<String> uri) {
    public ProxyUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uri, "uri");
    }

    /** A value that is no URL nginx would proxy to: its error log words, answered 500. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** @throws Invalid with nginx's message for a value it refuses */
    public static ProxyUrl parse(String url) throws Invalid {
        boolean https;
        int start;
        if (url.regionMatches(true, 0, "http://", 0, 7)) {
            https = false;
            start = 7;
        } else if (url.regionMatches(true, 0, "https://", 0, 8)) {
            https = true;
            start = 8;
        } else {
            throw new Invalid("invalid URL prefix in \"" + url + "\"");
        }
        String rest = url.substring(start);
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        Optional<String> uri = Optional.empty();
        if (end < rest.length()) {
            String part = rest.substring(end);
            uri = Optional.of(part.charAt(0) == '?' ? "/" + part : part);
        }
        String authority = rest.substring(0, end);
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) throw invalid("invalid host", rest);
            host = authority.substring(0, close + 1);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') throw invalid("invalid host", rest);
                port = authority.substring(close + 2);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                port = authority.substring(colon + 1);
            }
        }
        if (host.isEmpty()) throw invalid("no host", rest);
        int defaultPort = https ? 443 : 80;
        if (port == null) return new ProxyUrl(https, host, defaultPort, true, uri);
        int p = port(port);
        if (p < 0) throw invalid("invalid port", rest);
        return new ProxyUrl(https, host, p, false, uri);
    }

    private static Invalid invalid(String what, String url) {
        return new Invalid(what + " in upstream \"" + url + "\"");
    }

    private static int port(String s) {
        int v = AddressText.port(s);
        return v >= 1 ? v : -1;
    }

    /** The host without the brackets of an IPv6 literal: what an address or a DNS name is read from. */
    public String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
