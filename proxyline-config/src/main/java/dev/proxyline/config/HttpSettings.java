package dev.proxyline.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings that http, server and location levels inherit, as nginx merges them. List-valued directives
 * ({@code proxy_set_header}, {@code set_real_ip_from}, {@code access_log}, {@code ssl_certificate}) are
 * inherited only when the inner level has none of them, exactly like nginx.
 *
 * <p>{@code proxyForwarded} is {@code proxy_forwarded on|off} (default off): send an RFC 7239 {@code Forwarded}
 * header upstream, a trusted hop's elements kept and one for this hop appended. {@code socketKeepalive} is
 * {@code proxy_socket_keepalive} (default off): SO_KEEPALIVE on the upstream sockets. {@code ignoreClientAbort} is
 * {@code proxy_ignore_client_abort} (default off): whether a request goes on when its client closes its side.
 * {@code proxySsl} is TLS to the upstream of {@code proxy_pass https://} (the {@code proxy_ssl_*} directives).
 * {@code rewriteLog} is {@code rewrite_log on|off} (default off): the rewrite module's regexes and URI changes logged
 * at notice.
 * {@code errorPages} is {@code error_page} with {@code proxy_intercept_errors}, {@code recursive_error_pages} and
 * {@code internal}. {@code redirects} is {@code absolute_redirect}, {@code server_name_in_redirect},
 * {@code port_in_redirect} and {@code proxy_redirect}.
 * {@code authBasic} is {@code auth_basic}, {@code auth_basic_user_file} and {@code satisfy}.
 * {@code client} is how client connections are read and written (header buffers, header names, resets, HTTP/2 streams,
 * TLS records).
 */
public record HttpSettings(RealIp realIp, AccessRules access, List<HeaderRule> proxySetHeaders, Tls tls, Timeouts timeouts,
                           int keepaliveRequests, long clientMaxBodySize, ProxyProtocolSend proxyProtocol,
                           ProxyProtocolAccept accept, List<AccessLog> accessLogs, NextUpstream nextUpstream,
                           boolean proxyForwarded, boolean socketKeepalive, boolean ignoreClientAbort, Gzip gzip, List<AddHeader> addHeaders,
                           List<String> hideHeaders, List<String> passHeaders, List<LimitConn> limitConns,
                           int limitConnStatus, ProxySsl proxySsl, LimitConnOptions limitConnOptions,
                           LimitReqSettings limitReq, boolean rewriteLog, ErrorPages errorPages,
                           Redirects redirects, AuthBasic authBasic, ClientConnection client) {
    public HttpSettings {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(authBasic, "authBasic");
        Objects.requireNonNull(errorPages, "errorPages");
        Objects.requireNonNull(proxySsl, "proxySsl");
        Objects.requireNonNull(limitConnOptions, "limitConnOptions");
        Objects.requireNonNull(limitReq, "limitReq");
        limitConns = List.copyOf(limitConns);
        hideHeaders = List.copyOf(hideHeaders);
        passHeaders = List.copyOf(passHeaders);
        addHeaders = List.copyOf(addHeaders);
        Objects.requireNonNull(gzip, "gzip");
        Objects.requireNonNull(nextUpstream, "nextUpstream");
        Objects.requireNonNull(realIp, "realIp");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        Objects.requireNonNull(accept, "accept");
        proxySetHeaders = List.copyOf(proxySetHeaders);
        accessLogs = List.copyOf(accessLogs);
    }

    /** realip module: which peers may supply the client address, from which header, and whether to walk the chain. */
    public record RealIp(List<Cidr> from, boolean fromUnix, String header, boolean recursive) {
        /** {@code real_ip_header proxy_protocol} takes the address from the PROXY header instead of an HTTP header. */
        public static final String PROXY_PROTOCOL = "proxy_protocol";

        public RealIp {
            from = List.copyOf(from);
            Objects.requireNonNull(header, "header");
        }
    }

    /**
     * nginx's gzip module: whether responses are compressed ({@code gzip}), of which types ({@code gzip_types},
     * lower case, {@code text/html} always, {@code *} for any), from which length ({@code gzip_min_length}, of the
     * response's Content-Length), at which level ({@code gzip_comp_level}), with {@code Vary: Accept-Encoding}
     * ({@code gzip_vary}), for which requests that came through a proxy ({@code gzip_proxied}: {@code off},
     * {@code any} or response conditions), from which HTTP version ({@code gzip_http_version}), and for which
     * User-Agents not ({@code gzip_disable}: case-insensitive regexes, or {@code msie6}).
     */
    public record Gzip(boolean enabled, Set<String> types, long minLength, int level, boolean vary,
                       Set<String> proxied, boolean fromHttp10, List<String> disable) {
        /** nginx's defaults. */
        public static final Gzip DEFAULTS = new Gzip(false, Set.of("text/html"), 20, 1, false, Set.of("off"), false,
                List.of());
        /** The values {@code gzip_proxied} takes. */
        public static final Set<String> PROXIED = Set.of("off", "expired", "no-cache", "no-store", "private",
                "no_last_modified", "no_etag", "auth", "any");

        public Gzip {
            types = Set.copyOf(types);
            proxied = Set.copyOf(proxied);
            disable = List.copyOf(disable);
        }
    }

    /**
     * {@code add_header NAME VALUE [always]}: a response header field, for the statuses nginx adds it to (200, 201,
     * 204, 206, 301, 302, 303, 304, 307, 308) or, with {@code always}, for every one; the value may hold variables.
     */
    public record AddHeader(String name, String value, boolean always) {
        public AddHeader {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code limit_conn ZONE NUMBER}: at most {@code number} requests (http) or sessions (stream) in progress per key. */
    public record LimitConn(String zone, int number, Position position) {
        public LimitConn {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(position, "position");
        }
    }

    /** {@code proxy_set_header NAME VALUE}; an empty value removes the header, as in nginx. */
    public record HeaderRule(String name, String value) {
        public HeaderRule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code ssl_certificate}, {@code ssl_certificate_key} (paired by order), {@code ssl_protocols}, {@code ssl_ciphers};
     * {@code stapling} is http's OCSP stapling (off in stream, which nginx has no stapling for).
     * {@code certificatePositions} and {@code keyPositions} say where each file was named, for startup errors; they
     * are empty when the model was built without them.
     */
    public record Tls(List<String> certificates, List<String> certificateKeys, Set<String> protocols, String ciphers,
                      List<Position> certificatePositions, List<Position> keyPositions, Sessions sessions,
                      ClientVerify clientVerify, TlsHandshake handshake, Stapling stapling) {
        public static final Set<String> DEFAULT_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
        public static final String DEFAULT_CIPHERS = "HIGH:!aNULL:!MD5";

        public Tls {
            certificates = List.copyOf(certificates);
            certificateKeys = List.copyOf(certificateKeys);
            protocols = Set.copyOf(protocols);
            Objects.requireNonNull(ciphers, "ciphers");
            certificatePositions = List.copyOf(certificatePositions);
            keyPositions = List.copyOf(keyPositions);
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(clientVerify, "clientVerify");
            Objects.requireNonNull(handshake, "handshake");
            Objects.requireNonNull(stapling, "stapling");
        }

        public Tls(List<String> certificates, List<String> certificateKeys, Set<String> protocols, String ciphers) {
            this(certificates, certificateKeys, protocols, ciphers, List.of(), List.of(), Sessions.DEFAULTS,
                    ClientVerify.OFF, TlsHandshake.DEFAULTS, Stapling.OFF);
        }
    }

    /**
     * TLS session resumption: {@code ssl_session_cache} (whether the server keeps sessions, and how many; 0 = the
     * TLS stack's default number) and {@code ssl_session_timeout}; session tickets are in {@link TlsHandshake}.
     */
    public record Sessions(boolean cache, int cacheSize, Duration timeout) {
        /** nginx's defaults: no server-side cache ({@code none}), 5 minutes. */
        public static final Sessions DEFAULTS = new Sessions(false, 0, Duration.ofMinutes(5));

        public Sessions {
            Objects.requireNonNull(timeout, "timeout");
            if (cacheSize < 0) throw new IllegalArgumentException("cacheSize " + cacheSize);
        }
    }

    /** nginx defaults: 60s each, keepalive 75s. */
    public record Timeouts(Duration clientHeader, Duration clientBody, Duration send, Duration keepalive,
                           Duration proxyConnect, Duration proxyRead, Duration proxySend) {
        public Timeouts {
            Objects.requireNonNull(clientHeader);
            Objects.requireNonNull(clientBody);
            Objects.requireNonNull(send);
            Objects.requireNonNull(keepalive);
            Objects.requireNonNull(proxyConnect);
            Objects.requireNonNull(proxyRead);
            Objects.requireNonNull(proxySend);
        }
    }

    /**
     * {@code proxy_next_upstream}, {@code proxy_next_upstream_tries}, {@code proxy_next_upstream_timeout}.
     *
     * @param conditions    the listed conditions ({@code error}, {@code timeout}, {@code invalid_header},
     *                      {@code http_500} …), without {@code non_idempotent}; empty for {@code off}
     * @param nonIdempotent {@code non_idempotent} was listed
     * @param tries         at most this many attempts; 0 for no limit
     * @param timeout       no new attempt after this long; zero for no limit
     */
    public record NextUpstream(Set<String> conditions, boolean nonIdempotent, int tries, Duration timeout) {
        /** The condition names nginx accepts besides {@code non_idempotent} and {@code off}. */
        public static final Set<String> CONDITIONS = Set.of("error", "timeout", "invalid_header", "http_500",
                "http_502", "http_503", "http_504", "http_403", "http_404", "http_429");

        public NextUpstream {
            conditions = Set.copyOf(conditions);
            Objects.requireNonNull(timeout, "timeout");
            if (!CONDITIONS.containsAll(conditions)) {
                throw new IllegalArgumentException("unknown proxy_next_upstream condition in " + conditions);
            }
        }

        /** nginx's default: {@code error timeout}, no tries limit, no timeout. */
        public static NextUpstream defaults() {
            return new NextUpstream(Set.of("error", "timeout"), false, 0, Duration.ZERO);
        }
    }
}
