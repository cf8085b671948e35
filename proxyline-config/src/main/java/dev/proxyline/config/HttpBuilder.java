package dev.proxyline.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds {@link HttpConfig} from the validated {@code http} block. */
final class HttpBuilder {
    private final ArgReader r;
    private final Scope scope;
    private final Map<String, LogFormat> formats;
    private final Map<String, Upstream> upstreams;
    private final HttpSettingsReader settingsReader;
    private final LimitReader limits;
    private final ResolverReader resolvers;
    private final ErrorLogReader errorLogs;

    /** Upstreams and formats are read first: nginx lets servers refer to upstreams defined later. */
    HttpBuilder(ArgReader r, Directive http) {
        this.r = r;
        this.scope = Scope.root(http.children());
        this.formats = LogFormats.read(scope.local("log_format"), true, r);
        this.upstreams = StreamBuilder.upstreams(scope.local("upstream"), new UpstreamBuilder(r, true), r);
        this.settingsReader = new HttpSettingsReader(r, formats);
        this.limits = new LimitReader(r);
        this.resolvers = new ResolverReader(r);
        this.errorLogs = new ErrorLogReader(r);
    }

    HttpConfig build() {
        HttpSettings httpSettings = settingsReader.read(scope);
        resolvers.read(scope); // its errors, also where no location inherits it
        ListenParser listenParser = new ListenParser(r, true);
        List<HttpServer> servers = new ArrayList<>();
        for (Directive block : scope.local("server")) servers.add(server(block, scope, listenParser));
        List<HttpServer> merged = mergeSocketFlags(servers);
        checkSockets(merged);
        ListenChecks.sharedSocketOptions(merged.stream().flatMap(s -> s.listens().stream()).toList(), r);
        Map<String, LimitConnZone> zones = limits.connZones(scope.local("limit_conn_zone"));
        limitReqZones = limits.zones(scope.local("limit_req_zone"));
        checkLimitConns(merged, zones);
        return new HttpConfig(upstreams, merged, formats, httpSettings, new MapBuilder(r).build(scope.local("map")),
                zones, limitReqZones, scope.get("error_log").flatMap(errorLogs::read));
    }

    /** The {@code limit_req_zone}s, for the check of every {@code limit_req}; set by {@link #build()}. */
    private Map<String, LimitReqZone> limitReqZones = Map.of();

    /** Every {@code limit_conn} and {@code limit_req} names a zone that exists, as nginx checks. */
    private void checkLimitConns(List<HttpServer> servers, Map<String, LimitConnZone> zones) {
        for (HttpServer s : servers) {
            checkLimitConns(s.settings(), zones);
            checkLocationLimitConns(s.locations(), zones);
        }
    }

    private void checkLocationLimitConns(List<Location> locations, Map<String, LimitConnZone> zones) {
        for (Location l : locations) {
            checkLimitConns(l.settings(), zones);
            checkLocationLimitConns(l.locations(), zones);
        }
    }

    private void checkLimitConns(HttpSettings settings, Map<String, LimitConnZone> zones) {
        for (HttpSettings.LimitConn limit : settings.limitConns()) limits.checkZone(limit, zones);
        for (LimitReqSettings.Rule limit : settings.limitReq().rules()) {
            if (!limitReqZones.containsKey(limit.zone())) {
                r.errors().add(limit.position(), "zero size shared memory zone \"" + limit.zone()
                        + "\" (no limit_req_zone defines it)");
            }
        }
    }

    private HttpServer server(Directive block, Scope parent, ListenParser listenParser) {
        Scope s = parent.child(block.children());
        List<Listen> listens = new ArrayList<>();
        for (Directive d : s.local("listen")) listenParser.parse(d).ifPresent(listens::add);
        if (s.local("listen").isEmpty()) {
            listens.add(new Listen(block.position(), new ListenAddress.Ip(Optional.empty(), 80), false, Listen.DEFAULT_BACKLOG, false,
                    Optional.empty(), true, false, false, false));
        }
        ListenChecks.noDuplicates(listens, r);
        List<String> names = new ArrayList<>();
        for (Directive d : s.local("server_name")) d.args().forEach(a -> names.add(a.value()));
        HttpSettings settings = settingsReader.read(s);
        resolvers.read(s);
        errorLogs.refuseInner(s.local("error_log"), "server");
        checkCertificatePairs(settings, block);
        new ClientVerifyReader(r).checkServer(s, settings.tls(), listens.stream().anyMatch(Listen::ssl));
        new TlsHandshakeReader(r).checkServer(settings.tls());
        Optional<HttpAction.Return> ret = s.get("return").flatMap(this::returnAction);
        List<Location> locations = new ArrayList<>();
        for (Directive d : s.local("location")) location(d, s).ifPresent(locations::add);
        noDuplicateLocations(locations);
        return new HttpServer(block.position(), listens, names, settings, ret, locations, rewrites(s));
    }

    /**
     * After socket flags are merged: a server on a TLS socket without a certificate gets the development
     * certificate (warned, as it is not for production); one default server per socket.
     */
    private void checkSockets(List<HttpServer> servers) {
        Map<String, Listen> defaults = new HashMap<>();
        for (HttpServer s : servers) {
            // The classic broken chain: addresses are to come from the PROXY header, but no listener of this
            // server reads one, so every request keeps the balancer's address.
            if (s.settings().realIp().header().equals(HttpSettings.RealIp.PROXY_PROTOCOL)
                    && s.listens().stream().noneMatch(Listen::proxyProtocol)) {
                r.errors().warn(s.position(), "\"real_ip_header proxy_protocol\" applies to this server but none of its "
                        + "listens has \"proxy_protocol\": client addresses will not be replaced");
            }
            for (Listen l : s.listens()) {
                // A server that refuses every handshake needs no certificate, as in nginx.
                if (l.ssl() && s.settings().tls().certificates().isEmpty()
                        && !s.settings().tls().handshake().rejectHandshake()) {
                    r.errors().warn(l.position(), "no \"ssl_certificate\" is defined for server listening on TLS socket "
                            + l.bindKey() + ": a self-signed development certificate will be used");
                }
                if (l.defaultServer()) {
                    Listen first = defaults.putIfAbsent(l.bindKey(), l);
                    if (first != null) {
                        r.errors().add(l.position(), "a duplicate default server for " + l.bindKey()
                                + " (first at " + first.position() + ")");
                    }
                }
            }
        }
    }

    private void checkCertificatePairs(HttpSettings settings, Directive block) {
        HttpSettings.Tls tls = settings.tls();
        if (tls.certificates().size() != tls.certificateKeys().size()) {
            r.error(block, "each \"ssl_certificate\" needs a matching \"ssl_certificate_key\" (got "
                    + tls.certificates().size() + " certificates and " + tls.certificateKeys().size() + " keys)");
        }
    }

    private Optional<Location> location(Directive d, Scope parent) {
        Optional<LocationMatch> match = match(d);
        Scope s = parent.child(d.children());
        HttpSettings settings = settingsReader.read(s, match);
        errorLogs.refuseInner(s.local("error_log"), "location");
        Optional<HttpAction> action = Optional.empty();
        Optional<Directive> proxyPass = s.local("proxy_pass").stream().findFirst();
        Optional<Directive> ret = s.local("return").stream().findFirst();
        Optional<Resolver> resolver = resolvers.read(s);
        if (proxyPass.isPresent() && ret.isPresent()) {
            r.error(ret.get(), "\"return\" and \"proxy_pass\" in the same location (\"return\" would always win; remove one)");
        } else if (proxyPass.isPresent()) {
            action = proxyPass(proxyPass.get(), match, resolver);
            if (action.isPresent() && ((HttpAction.ProxyPass) action.get()).scheme().equals("https")) {
                settingsReader.checkProxySsl(settings.proxySsl(), proxyPass.get());
            }
        } else if (ret.isPresent()) {
            action = returnAction(ret.get()).map(HttpAction.class::cast);
        }
        List<Location> nested = new ArrayList<>();
        for (Directive child : s.local("location")) location(child, s).ifPresent(nested::add);
        noDuplicateLocations(nested);
        Optional<LimitExcept> limitExcept = s.local("limit_except").stream().findFirst()
                .flatMap(block -> new LimitExceptReader(r, settingsReader, (pass, m) -> proxyPass(pass, m, resolver)).read(block, s, match));
        if (match.isEmpty()) return Optional.empty();
        return Optional.of(new Location(d.position(), match.get(), settings, action, nested, rewrites(s), limitExcept));
    }

    /**
     * As nginx: two exact, two prefix ({@code ^~} or not) or two named locations of one name at one level are an
     * error, where nginx would pick one silently otherwise; regex locations may repeat (the first wins).
     */
    private void noDuplicateLocations(List<Location> siblings) {
        Map<String, Location> seen = new HashMap<>();
        for (Location l : siblings) {
            String kind = switch (l.match().modifier()) {
                case EXACT -> "=";
                case PREFIX, PREFIX_NO_REGEX -> "prefix";
                case NAMED -> "@";
                case REGEX, REGEX_CASELESS -> null;
            };
            if (kind == null) continue;
            Location first = seen.putIfAbsent(kind + " " + l.match().pattern(), l);
            if (first != null) {
                r.errors().add(l.position(), "duplicate location \"" + l.match().pattern() + "\" (already at line "
                        + first.position().line() + ")");
            }
        }
    }

    private Optional<LocationMatch> match(Directive d) {
        String first = d.arg(0).value();
        LocationMatch.Modifier modifier;
        String pattern;
        if (d.args().size() == 2) {
            pattern = d.arg(1).value();
            switch (first) {
                case "=" -> modifier = LocationMatch.Modifier.EXACT;
                case "^~" -> modifier = LocationMatch.Modifier.PREFIX_NO_REGEX;
                case "~" -> modifier = LocationMatch.Modifier.REGEX;
                case "~*" -> modifier = LocationMatch.Modifier.REGEX_CASELESS;
                default -> {
                    r.error(d.arg(0), "invalid location modifier \"" + first + "\" (expected =, ^~, ~ or ~*)");
                    return Optional.empty();
                }
            }
        } else if (first.startsWith("=")) {
            modifier = LocationMatch.Modifier.EXACT;
            pattern = first.substring(1);
        } else if (first.startsWith("^~")) {
            modifier = LocationMatch.Modifier.PREFIX_NO_REGEX;
            pattern = first.substring(2);
        } else if (first.startsWith("~*")) {
            modifier = LocationMatch.Modifier.REGEX_CASELESS;
            pattern = first.substring(2);
        } else if (first.startsWith("~")) {
            modifier = LocationMatch.Modifier.REGEX;
            pattern = first.substring(1);
        } else if (first.startsWith("@")) {
            modifier = LocationMatch.Modifier.NAMED;
            pattern = first.substring(1);
        } else {
            modifier = LocationMatch.Modifier.PREFIX;
            pattern = first;
        }
        Argument at = d.args().get(d.args().size() - 1);
        if (pattern.isEmpty()) {
            r.error(at, "empty location pattern");
            return Optional.empty();
        }
        if (modifier == LocationMatch.Modifier.REGEX || modifier == LocationMatch.Modifier.REGEX_CASELESS) {
            try {
                NginxRegex.compile(pattern, 0);
            } catch (PatternSyntaxException e) {
                r.error(at, "invalid regex \"" + pattern + "\" in location: " + e.getDescription());
                return Optional.empty();
            }
        }
        return Optional.of(new LocationMatch(modifier, pattern));
    }

    /**
     * {@code proxy_pass http[s]://NAME|HOST[:PORT][/URI]}; NAME matching an upstream block refers to it. With
     * variables the URL is judged per request, as nginx does: its scheme, host and URI part are known only then.
     *
     * @param resolver the location's {@code resolver}, for the names of a URL with variables
     */
    private Optional<HttpAction> proxyPass(Directive d, Optional<LocationMatch> match, Optional<Resolver> resolver) {
        Argument a = d.arg(0);
        String v = a.value();
        if (a.hasVariables()) {
            String scheme = v.startsWith("http://") ? "http" : v.startsWith("https://") ? "https" : "";
            return Optional.of(new HttpAction.ProxyPass(scheme, new ProxyTarget.Computed(v, a.position(), resolver),
                    Optional.empty()));
        }
        String scheme;
        if (v.startsWith("http://")) {
            scheme = "http";
        } else if (v.startsWith("https://")) {
            scheme = "https";
        } else {
            r.error(a, "invalid URL prefix in \"proxy_pass\" directive: \"" + v + "\" (expected http:// or https://)");
            return Optional.empty();
        }
        String rest = v.substring(scheme.length() + 3);
        String authority;
        Optional<String> uri;
        if (rest.startsWith("unix:")) {
            // nginx's form: the socket's path ends at the first colon, what follows it is the URI part.
            int colon = rest.indexOf(':', 5);
            authority = colon < 0 ? rest : rest.substring(0, colon);
            uri = colon < 0 || colon == rest.length() - 1 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
        } else {
            int slash = rest.indexOf('/');
            authority = slash < 0 ? rest : rest.substring(0, slash);
            uri = slash < 0 ? Optional.empty() : Optional.of(rest.substring(slash));
        }
        if (uri.isPresent() && match.isPresent() && (match.get().modifier() == LocationMatch.Modifier.REGEX
                || match.get().modifier() == LocationMatch.Modifier.REGEX_CASELESS
                || match.get().modifier() == LocationMatch.Modifier.NAMED)) {
            r.error(a, "\"proxy_pass\" cannot have URI part in location given by regular expression or named location");
            return Optional.empty();
        }
        if (upstreams.containsKey(authority)) {
            return Optional.of(new HttpAction.ProxyPass(scheme, new ProxyTarget.UpstreamRef(authority), uri));
        }
        AddressParser.Result res = AddressParser.endpoint(authority, OptionalInt.of(scheme.equals("https") ? 443 : 80));
        if (res.endpoint().isEmpty()) {
            r.error(a, res.error() + (authority.startsWith("unix:") ? " in upstream \"" + authority + "\"" : "")
                    + " in \"proxy_pass\" directive");
            return Optional.empty();
        }
        return Optional.of(new HttpAction.ProxyPass(scheme, new ProxyTarget.Direct(res.endpoint().get()), uri));
    }

    private Optional<HttpAction.Return> returnAction(Directive d) {
        Argument first = d.arg(0);
        String v = first.value();
        if (d.args().size() == 1 && isUrl(v)) {
            return Optional.of(new HttpAction.Return(302, Optional.of(v)));
        }
        OptionalInt code = Values.number(v).isPresent() && v.length() <= 3
                ? OptionalInt.of(Integer.parseInt(v)) : OptionalInt.empty();
        if (code.isEmpty()) {
            r.error(first, "invalid return code \"" + v + "\" (expected 0-999, or a URL starting with http://, https:// or $scheme)");
            return Optional.empty();
        }
        Optional<String> text = d.args().size() == 2 ? Optional.of(d.arg(1).value()) : Optional.empty();
        int c = code.getAsInt();
        if ((c == 301 || c == 302 || c == 303 || c == 307 || c == 308) && text.isEmpty()) {
            r.error(d, "\"return " + c + "\" needs a URL");
            return Optional.empty();
        }
        return Optional.of(new HttpAction.Return(c, text));
    }

    private static final Set<String> REWRITE_MODULE = Set.of("set", "rewrite", "break", "return", "if");

    /**
     * The block's own {@code set}, {@code rewrite}, {@code break} and {@code if} directives, in their order, with a
     * marker where its {@code return} stands among them; none when it has only a {@code return}.
     */
    private List<RewriteStep> rewrites(Scope s) {
        List<Directive> directives = s.localOf(REWRITE_MODULE);
        if (directives.stream().allMatch(d -> d.name().equals("return"))) return List.of();
        return rewrites(directives);
    }

    private List<RewriteStep> rewrites(List<Directive> directives) {
        List<RewriteStep> steps = new ArrayList<>();
        for (Directive d : directives) {
            switch (d.name()) {
                case "set" -> set(d).ifPresent(steps::add);
                case "rewrite" -> rewrite(d).ifPresent(steps::add);
                case "return" -> steps.add(new ReturnMarker(d.position()));
                case "if" -> ifRule(d).ifPresent(steps::add);
                default -> steps.add(new BreakRule(d.position()));
            }
        }
        return steps;
    }

    /**
     * {@code if (CONDITION) { ... }}; its body holds only rewrite-module directives (the validator saw to it), and
     * {@code rewrite_log}, which is no step: the body runs with its block's directives, under its block's setting.
     */
    private Optional<IfRule> ifRule(Directive d) {
        Optional<IfCondition> condition = new IfReader(r).condition(d);
        List<RewriteStep> body = rewrites(d.children().stream().filter(c -> REWRITE_MODULE.contains(c.name())).toList());
        d.children().stream().filter(c -> c.name().equals("rewrite_log")).forEach(c -> r.flag(c, c.arg(0)));
        Optional<HttpAction.Return> ret = d.children().stream().filter(c -> c.name().equals("return")).findFirst()
                .flatMap(this::returnAction);
        return condition.map(c -> new IfRule(d.position(), c, body, ret));
    }

    /** {@code set $name VALUE}; the variable must be written {@code $name}. */
    private Optional<SetRule> set(Directive d) {
        String name = d.arg(0).value();
        if (name.length() < 2 || name.charAt(0) != '$'
                || !name.substring(1).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
            r.error(d.arg(0), "invalid variable name \"" + name + "\" in \"set\" (expected $ and letters, digits or _)");
            return Optional.empty();
        }
        return Optional.of(new SetRule(d.position(), Ascii.lowerCase(name.substring(1)), d.arg(1).value()));
    }

    /** {@code rewrite REGEX REPLACEMENT [last|break|redirect|permanent]}. */
    private Optional<RewriteRule> rewrite(Directive d) {
        RewriteRule.Flag flag = RewriteRule.Flag.NONE;
        if (d.args().size() == 3) {
            String v = d.arg(2).value();
            switch (v) {
                case "last" -> flag = RewriteRule.Flag.LAST;
                case "break" -> flag = RewriteRule.Flag.BREAK;
                case "redirect" -> flag = RewriteRule.Flag.REDIRECT;
                case "permanent" -> flag = RewriteRule.Flag.PERMANENT;
                default -> {
                    r.error(d.arg(2), "invalid parameter \"" + v + "\" in \"rewrite\" (expected last, break, redirect "
                            + "or permanent)");
                    return Optional.empty();
                }
            }
        }
        Argument regex = d.arg(0);
        try {
            Pattern pattern = NginxRegex.compile(regex.value(), 0);
            return Optional.of(new RewriteRule(d.position(), pattern, d.arg(1).value(), flag));
        } catch (PatternSyntaxException e) {
            r.error(regex, "invalid regex \"" + regex.value() + "\" in \"rewrite\": " + e.getDescription());
            return Optional.empty();
        }
    }

    private static boolean isUrl(String v) {
        return v.startsWith("http://") || v.startsWith("https://") || v.startsWith("$scheme");
    }

    /**
     * nginx applies {@code ssl}, {@code http2} and {@code proxy_protocol} to the listening socket: if any
     * server sets them for an address:port, every server on that socket gets them. The model makes that
     * explicit so the runtime binds one socket per address:port without re-deriving it.
     */
    private static List<HttpServer> mergeSocketFlags(List<HttpServer> servers) {
        Map<String, boolean[]> flags = new HashMap<>();
        for (HttpServer s : servers) {
            for (Listen l : s.listens()) {
                boolean[] f = flags.computeIfAbsent(l.bindKey(), k -> new boolean[3]);
                f[0] |= l.ssl();
                f[1] |= l.http2();
                f[2] |= l.proxyProtocol();
            }
        }
        List<HttpServer> out = new ArrayList<>();
        for (HttpServer s : servers) {
            List<Listen> listens = s.listens().stream().map(l -> {
                boolean[] f = flags.get(l.bindKey());
                return new Listen(l.position(), l.address(), f[2], l.backlog(), l.reusePort(),
                        l.soKeepalive(), l.ipv6Only(), f[0], f[1], l.defaultServer());
            }).toList();
            out.add(new HttpServer(s.position(), listens, s.serverNames(), s.settings(), s.serverReturn(), s.locations(),
                    s.rewrites()));
        }
        return out;
    }
}
