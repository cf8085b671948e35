package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Ascii;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.MapBlock;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * nginx's gzip filter for one location, compiled: which responses are compressed. A response is a candidate when
 * gzip is on, its status is 200, 403 or 404, it has no Content-Encoding, its Content-Length (if any) is at least
 * {@code gzip_min_length} and its type is one of {@code gzip_types}; a candidate gets {@code Vary: Accept-Encoding}
 * with {@code gzip_vary on}, and is compressed when the request accepts gzip, is of {@code gzip_http_version} or
 * later, has a User-Agent no {@code gzip_disable} names, and, if it came through a proxy (Via), {@code gzip_proxied}
 * allows it. Immutable, shared by every event loop.
 */
final class GzipPolicy {
    static final GzipPolicy OFF = new GzipPolicy(HttpSettings.Gzip.DEFAULTS);

    /** nginx's {@code msie6}: MSIE 4 to 6, except SV1 (6.0 SP2), which handles gzip. */
    private static final Pattern MSIE6 = Pattern.compile("MSIE [4-6]\\.(?!.*SV1)");

    /** What a response gets. */
    enum Decision { AS_IS, VARY, COMPRESS }

    /**
     * What of the request the decision reads, taken when the request is routed. A HEAD request gets the head a GET
     * would (Content-Encoding, Vary, no Content-Length), as nginx sends it, and no body.
     */
    record Request(boolean head, boolean acceptsGzip, boolean versionAllows, boolean disabledAgent, boolean viaProxy,
                   boolean authorization) {}

    private final HttpSettings.Gzip settings;
    private final boolean anyType;
    private final List<Pattern> disable;

    private GzipPolicy(HttpSettings.Gzip settings) {
        this.settings = settings;
        this.anyType = settings.types().contains("*");
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : settings.disable()) {
            patterns.add(regex.equals("msie6") ? MSIE6 : Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        }
        this.disable = List.copyOf(patterns);
    }

    static GzipPolicy of(HttpSettings.Gzip settings) {
        return settings.enabled() ? new GzipPolicy(settings) : OFF;
    }

    boolean enabled() {
        return settings.enabled();
    }

    int level() {
        return settings.level();
    }

    /** The request's side of the decision; {@code http2} requests count as later than 1.1. */
    Request request(HttpRequest request, boolean http2) {
        HttpHeaders headers = request.headers();
        String agent = headers.get(HttpHeaderNames.USER_AGENT);
        boolean disabled = false;
        if (agent != null) {
            for (Pattern pattern : disable) {
                disabled |= pattern.matcher(agent).find();
            }
        }
        boolean versionAllows = http2 || request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                || (settings.fromHttp10() && request.protocolVersion().equals(HttpVersion.HTTP_1_0));
        return new Request(request.method().equals(HttpMethod.HEAD),
                acceptsGzip(headers.get(HttpHeaderNames.ACCEPT_ENCODING)), versionAllows, disabled,
                headers.contains(HttpHeaderNames.VIA), headers.contains(HttpHeaderNames.AUTHORIZATION));
    }

    Decision decide(Request request, HttpResponse response) {
        if (!settings.enabled() || !isCandidate(response)) {
            return Decision.AS_IS;
        }
        boolean compress = request.acceptsGzip() && request.versionAllows() && !request.disabledAgent()
                && (!request.viaProxy() || proxiedAllows(request, response.headers()));
        if (compress) {
            return Decision.COMPRESS;
        }
        return settings.vary() ? Decision.VARY : Decision.AS_IS;
    }

    boolean vary() {
        return settings.vary();
    }

    private boolean isCandidate(HttpResponse response) {
        int code = response.status().code();
        if (code != 200 && code != 403 && code != 404) {
            return false;
        }
        HttpHeaders headers = response.headers();
        String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty()) {
            return false;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) < settings.minLength()) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return anyType || typeListed(headers.get(HttpHeaderNames.CONTENT_TYPE));
    }

    private boolean typeListed(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return settings.types().contains(Ascii.lowerCase(type));
    }

    /** {@code gzip_proxied}, for a request that has a Via field. */
    private boolean proxiedAllows(Request request, HttpHeaders response) {
        Set<String> proxied = settings.proxied();
        if (proxied.contains("any")) {
            return true;
        }
        if (proxied.contains("auth") && request.authorization()) {
            return true;
        }
        String cacheControl = response.get(HttpHeaderNames.CACHE_CONTROL);
        String lower = cacheControl == null ? "" : Ascii.lowerCase(cacheControl);
        return (proxied.contains("expired") && expired(response))
                || (proxied.contains("no-cache") && lower.contains("no-cache"))
                || (proxied.contains("no-store") && lower.contains("no-store"))
                || (proxied.contains("private") && lower.contains("private"))
                || (proxied.contains("no_last_modified") && !response.contains(HttpHeaderNames.LAST_MODIFIED))
                || (proxied.contains("no_etag") && !response.contains(HttpHeaderNames.ETAG));
    }

    /** An Expires field that disables caching: a date not after the response's Date (or now). */
    private static boolean expired(HttpHeaders response) {
        String expires = response.get(HttpHeaderNames.EXPIRES);
        if (expires == null) {
            return false;
        }
        Date when = DateFormatter.parseHttpDate(expires);
        if (when == null) {
            return false;
        }
        String dateField = response.get(HttpHeaderNames.DATE);
        Date date = dateField == null ? null : DateFormatter.parseHttpDate(dateField);
        return !when.after(date == null ? new Date() : date);
    }

    /**
     * Whether {@code Accept-Encoding} accepts gzip: a {@code gzip} (or {@code x-gzip}) coding whose q-value is not
     * zero, as nginx reads it.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim();
            if (!name.equalsIgnoreCase("gzip") && !name.equalsIgnoreCase("x-gzip")) {
                continue;
            }
            boolean zero = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                    zero = parameter.substring(2).trim().matches("0(\\.0{0,3})?");
                }
            }
            if (!zero) {
                return true;
            }
        }
        return false;
    }
}
