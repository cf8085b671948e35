package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.AddressText;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The URL of a {@code proxy_pass} with variables once expanded, read as nginx 1.22 reads it per request
 * ({@code ngx_http_proxy_eval}): {@code http://} or {@code https://} in any case, a host (a {@code [v6]} literal in
 * brackets, kept with them, as nginx's {@code $proxy_host}), an optional port, and the URI part from the first
 * {@code /} or {@code ?} on (one starting with {@code ?} gets a {@code /} in front). A host starting with
 * {@code unix:} (in any case) is a UNIX-domain socket, {@code unix:PATH[:URI]}: the path ends at the first colon after
 * it, as nginx's {@code ngx_parse_unix_domain_url} ends it.
 *
 * @param https  the scheme is {@code https}
 * @param host   the host as written; {@code localhost} for a socket, nginx's {@code $proxy_host} for one
 * @param port   the port written, else the scheme's (80, 443)
 * @param noPort no port was written (always, for a socket)
 * @param uri    the URI part, if any: then the request is sent with exactly it
 * @param socket the path of a UNIX-domain socket, if the URL names one
 */
public record ProxyUrl(boolean https, String host, int port, boolean noPort, Optional<String> uri,
                       Optional<String> socket) {
    /** {@code sun_path}'s size: a path and its terminating zero must fit. */
    private static final int SUN_PATH = 108;

    public ProxyUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(socket, "socket");
    }

    /** A URL of a host (a name or an address), not of a socket. */
    public ProxyUrl(boolean https, String host, int port, boolean noPort, Optional<String> uri) {
        this(https, host, port, noPort, uri, Optional.empty());
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
        if (rest.regionMatches(true, 0, "unix:", 0, 5)) return socket(https, rest);
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

    /** {@code unix:PATH[:URI]}, {@code rest}: the path's checks and words are nginx's. */
    private static ProxyUrl socket(boolean https, String rest) throws Invalid {
        int colon = rest.indexOf(':', 5);
        String path = colon < 0 ? rest.substring(5) : rest.substring(5, colon);
        Optional<String> uri = Optional.empty();
        if (colon >= 0 && colon + 1 < rest.length()) {
            String part = rest.substring(colon + 1);
            uri = Optional.of(part.charAt(0) == '?' ? "/" + part : part);
        }
        if (path.isEmpty()) throw invalid("no path in the unix domain socket", rest);
        if (path.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH) {
            throw invalid("too long path in the unix domain socket", rest);
        }
        // nginx would cut the path at the zero byte; the JDK takes no such path, and no socket file has one.
        if (path.indexOf('\0') >= 0) throw invalid("invalid path in the unix domain socket", rest);
        return new ProxyUrl(https, "localhost", https ? 443 : 80, true, uri, Optional.of(path));
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
