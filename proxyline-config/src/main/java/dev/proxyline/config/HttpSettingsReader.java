package dev.proxyline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@link HttpSettings} from a scope (http, server or location); invalid values fall back to defaults. */
final class HttpSettingsReader {
    private static final Duration SIXTY = Duration.ofSeconds(60);

    private final ArgReader r;
    private final ProxyProtocolReader pp;
    private final AccessLogReader logs;
    private final AccessRulesReader access;
    private final ProxySslReader proxySsl;
    private final LimitReader limits;
    private final ErrorPagesReader errorPages;
    private final RedirectsReader redirects;
    private final AuthBasicReader authBasic;
    private final ClientConnectionReader client;

    HttpSettingsReader(ArgReader r, Map<String, LogFormat> formats) {
        this.r = r;
        this.pp = new ProxyProtocolReader(r);
        this.logs = new AccessLogReader(r, formats, true);
        this.access = new AccessRulesReader(r);
        this.proxySsl = new ProxySslReader(r);
        this.limits = new LimitReader(r);
        this.errorPages = new ErrorPagesReader(r);
        this.redirects = new RedirectsReader(r);
        this.authBasic = new AuthBasicReader(r);
        this.client = new ClientConnectionReader(r);
    }

    HttpSettings read(Scope s) {
        return read(s, Optional.empty());
    }

    /** @param location the location's match, empty at the http and server levels */
    HttpSettings read(Scope s, Optional<LocationMatch> location) {
        s.get("proxy_http_version").ifPresent(this::checkHttpVersion);
        ProxyProtocolReader.TrustedSources trusted = pp.trustedSources(s.all("set_real_ip_from"));
        HttpSettings.RealIp realIp = new HttpSettings.RealIp(trusted.cidrs(), trusted.unix(),
                s.get("real_ip_header").map(d -> d.arg(0).value()).orElse("X-Real-IP"),
                s.get("real_ip_recursive").flatMap(d -> r.flag(d, d.arg(0))).orElse(false));
        List<HttpSettings.HeaderRule> headers = s.all("proxy_set_header").stream()
                .map(d -> new HttpSettings.HeaderRule(d.arg(0).value(), d.arg(1).value())).toList();
        HttpSettings.Tls tls = new TlsSettingsReader(r).read(s);
        HttpSettings.Timeouts timeouts = new HttpSettings.Timeouts(
                duration(s, "client_header_timeout", SIXTY),
                duration(s, "client_body_timeout", SIXTY),
                duration(s, "send_timeout", SIXTY),
                s.get("keepalive_timeout").map(this::keepaliveTimeout).orElse(Duration.ofSeconds(75)),
                duration(s, "proxy_connect_timeout", SIXTY),
                duration(s, "proxy_read_timeout", SIXTY),
                duration(s, "proxy_send_timeout", SIXTY));
        int keepaliveRequests = s.get("keepalive_requests")
                .map(d -> r.intInRange(d, d.arg(0), 0, Integer.MAX_VALUE).orElse(1000)).orElse(1000);
        long maxBody = s.get("client_max_body_size").map(d -> r.size(d, d.arg(0)).orElse(1L << 20)).orElse(1L << 20);
        return new HttpSettings(realIp, access.read(s), headers, tls, timeouts, keepaliveRequests, maxBody, pp.send(s, false),
                pp.accept(s), logs.read(s.all("access_log")), nextUpstream(s),
                s.get("proxy_forwarded").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                s.get("proxy_socket_keepalive").flatMap(d -> r.flag(d, d.arg(0))).orElse(false),
                s.get("proxy_ignore_client_abort").flatMap(d -> r.flag(d, d.arg(0))).orElse(false), gzip(s),
                s.all("add_header").stream().map(this::addHeader).flatMap(Optional::stream).toList(),
                s.all("proxy_hide_header").stream().map(d -> d.arg(0).value()).toList(),
                s.all("proxy_pass_header").stream().map(d -> d.arg(0).value()).toList(),
                limits.limitConns(s),
                s.get("limit_conn_status").map(d -> r.intInRange(d, d.arg(0), 400, 599).orElse(503)).orElse(503),
                proxySsl.read(s), limits.limitConn(s), limits.limitReq(s),
                s.get("rewrite_log").flatMap(d -> r.flag(d, d.arg(0))).orElse(false), errorPages.read(s),
                redirects.read(s, location), authBasic.read(s), client.read(s));
    }

    /** Problems of {@code ssl} that show only where a {@code proxy_pass https://} uses it. */
    void checkProxySsl(ProxySsl ssl, Directive proxyPass) {
        proxySsl.check(ssl, proxyPass);
    }

    /** Inherited as nginx does it: a level with its own {@code add_header}s replaces the outer ones (Scope.all). */
    private Optional<HttpSettings.AddHeader> addHeader(Directive d) {
        if (d.args().size() == 3 && !d.arg(2).value().equals("always")) {
            r.error(d.arg(2), "invalid parameter \"" + d.arg(2).value() + "\" in \"add_header\" (expected always)");
            return Optional.empty();
        }
        return Optional.of(new HttpSettings.AddHeader(d.arg(0).value(), d.arg(1).value(), d.args().size() == 3));
    }

    private HttpSettings.Gzip gzip(Scope s) {
        HttpSettings.Gzip d = HttpSettings.Gzip.DEFAULTS;
        Set<String> types = new HashSet<>(d.types());
        s.get("gzip_types").ifPresent(g -> g.args().forEach(a -> types.add(Ascii.lowerCase(a.value()))));
        Set<String> proxied = s.get("gzip_proxied").map(this::gzipProxied).orElse(d.proxied());
        List<String> disable = s.get("gzip_disable").map(this::gzipDisable).orElse(d.disable());
        return new HttpSettings.Gzip(
                s.get("gzip").flatMap(g -> r.flag(g, g.arg(0))).orElse(d.enabled()),
                types,
                s.get("gzip_min_length").map(g -> r.size(g, g.arg(0)).orElse(d.minLength())).orElse(d.minLength()),
                s.get("gzip_comp_level").map(g -> r.intInRange(g, g.arg(0), 1, 9).orElse(d.level())).orElse(d.level()),
                s.get("gzip_vary").flatMap(g -> r.flag(g, g.arg(0))).orElse(d.vary()),
                proxied,
                s.get("gzip_http_version").map(this::gzipFromHttp10).orElse(d.fromHttp10()),
                disable);
    }

    private Set<String> gzipProxied(Directive d) {
        Set<String> values = new HashSet<>();
        for (Argument a : d.args()) {
            if (!HttpSettings.Gzip.PROXIED.contains(a.value())) {
                r.error(a, "invalid value \"" + a.value() + "\" in \"gzip_proxied\" directive (expected off, expired, "
                        + "no-cache, no-store, private, no_last_modified, no_etag, auth or any)");
            } else {
                values.add(a.value());
            }
        }
        if (values.contains("off") && values.size() > 1) {
            r.error(d, "\"gzip_proxied off\" cannot be combined with other values");
        }
        return values.isEmpty() ? Set.of("off") : values;
    }

    private boolean gzipFromHttp10(Directive d) {
        String v = d.arg(0).value();
        if (!v.equals("1.0") && !v.equals("1.1")) {
            r.error(d.arg(0), "invalid value \"" + v + "\" in \"gzip_http_version\" directive (expected 1.0 or 1.1)");
        }
        return v.equals("1.0");
    }

    /** Checked here as Java compiles them; the runtime compiles them again, case-insensitive as in nginx. */
    private List<String> gzipDisable(Directive d) {
        List<String> regexes = new ArrayList<>();
        for (Argument a : d.args()) {
            try {
                Pattern.compile(a.value(), Pattern.CASE_INSENSITIVE);
                regexes.add(a.value());
            } catch (PatternSyntaxException e) {
                r.error(a, "invalid regular expression \"" + a.value() + "\" in \"gzip_disable\": "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return regexes;
    }

    /**
     * {@code proxy_http_version 1.1} states what proxyline always does, so configurations written for nginx
     * (where 1.0 is the default and 1.1 is set for keep-alive pools and WebSocket) load unchanged; 1.0 would
     * mean no pools, no chunked bodies and no Upgrade, which proxyline does not offer.
     */
    private void checkHttpVersion(Directive d) {
        Argument a = d.arg(0);
        if (a.value().equals("1.0")) {
            r.error(a, "\"proxy_http_version 1.0\" is not supported: proxyline always speaks HTTP/1.1 to upstreams"
                    + " (remove the directive or use 1.1)");
        } else if (!a.value().equals("1.1")) {
            r.error(a, "invalid value \"" + a.value() + "\" in \"proxy_http_version\" directive (expected 1.1)");
        }
    }

    private HttpSettings.NextUpstream nextUpstream(Scope s) {
        HttpSettings.NextUpstream defaults = HttpSettings.NextUpstream.defaults();
        Set<String> conditions = defaults.conditions();
        boolean nonIdempotent = false;
        Optional<Directive> listed = s.get("proxy_next_upstream");
        if (listed.isPresent()) {
            conditions = new LinkedHashSet<>();
            boolean off = false;
            for (Argument a : listed.get().args()) {
                String v = a.value();
                if (v.equals("off")) {
                    off = true; // as nginx: "off" wins over anything listed with it
                } else if (v.equals("non_idempotent")) {
                    nonIdempotent = true;
                } else if (HttpSettings.NextUpstream.CONDITIONS.contains(v)) {
                    conditions.add(v);
                } else if (v.equals("updating")) {
                    r.error(a, "\"updating\" in \"proxy_next_upstream\" needs a cache, which proxyline does not have");
                } else {
                    r.error(a, "invalid value \"" + v + "\" in \"proxy_next_upstream\" directive (expected error, timeout,"
                            + " invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429,"
                            + " non_idempotent or off)");
                }
            }
            if (off) {
                conditions = Set.of();
                nonIdempotent = false;
            }
        }
        int tries = s.get("proxy_next_upstream_tries")
                .map(d -> r.intInRange(d, d.arg(0), 0, 1_000_000).orElse(0)).orElse(0);
        return new HttpSettings.NextUpstream(conditions, nonIdempotent, tries,
                duration(s, "proxy_next_upstream_timeout", Duration.ZERO));
    }

    private Duration duration(Scope s, String name, Duration fallback) {
        return s.get(name).flatMap(d -> r.duration(d, d.arg(0))).orElse(fallback);
    }

    private Duration keepaliveTimeout(Directive d) {
        if (d.args().size() == 2) {
            r.error(d.arg(1), "the second \"keepalive_timeout\" parameter (Keep-Alive header timeout) is not supported");
        }
        return r.duration(d, d.arg(0)).orElse(Duration.ofSeconds(75));
    }
}
