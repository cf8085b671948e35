package dev.proxyline.server.http.proxy;

import dev.proxyline.config.NginxRegex;
import dev.proxyline.config.IfRule;
import dev.proxyline.config.ReturnMarker;
import dev.proxyline.config.RewriteRule;
import dev.proxyline.config.RewriteStep;
import dev.proxyline.config.LimitExcept;
import dev.proxyline.config.LimitReqSettings;
import dev.proxyline.config.LimitReqZone;
import dev.proxyline.server.http.limit.LeakyBucketZone;
import dev.proxyline.server.http.limit.RateLimits;
import dev.proxyline.config.SetRule;
import dev.proxyline.config.AccessLog;
import dev.proxyline.config.AuthBasic;
import dev.proxyline.config.HttpAction;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.Listen;
import dev.proxyline.config.Location;
import dev.proxyline.config.LocationMatch;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.config.Endpoint;
import dev.proxyline.server.runtime.dns.ResolverClients;
import dev.proxyline.server.runtime.dns.NameLookup;
import dev.proxyline.config.Upstream;
import dev.proxyline.config.UpstreamKeepalive;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.server.accesslog.AccessLogs;
import dev.proxyline.server.accesslog.LogTarget;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.http.auth.AccessPhase;
import dev.proxyline.server.http.auth.PasswordFile;
import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.http.routing.LocationRouter;
import dev.proxyline.server.http.routing.VirtualHosts;
import dev.proxyline.server.limit.RequestCountZone;
import dev.proxyline.server.limit.SessionLimits;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.ListenerPlan;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.runtime.RuntimePlanException;
import dev.proxyline.server.runtime.TrustPolicies;
import dev.proxyline.server.runtime.UpstreamGroups;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.transport.UpstreamOptions;
import dev.proxyline.server.upstream.FailureKind;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.CapturingTemplate;
import dev.proxyline.server.variables.SetVariable;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

/**
 * Turns the {@code http} block into one {@link HttpListenerPlan} per listen socket: virtual hosts,
 * each location's action, upstream groups (shared by name, as the stream planner shares them),
 * compiled {@code proxy_set_header} values, PROXY headers to send and access logs. Every problem is
 * collected and reported at once in a {@link RuntimePlanException}, each naming file:line:column.
 */
public final class HttpPlanner {
    /** Request ids: each event loop draws from its own thread's generator, without contention. */
    private static final RandomGenerator REQUEST_IDS = () -> ThreadLocalRandom.current().nextLong();

    /** Opens the access logs of a location; a file that cannot be opened is a startup problem. */
    @FunctionalInterface
    public interface LogOpener {
        SessionLog open(List<LogTarget> targets) throws IOException;
    }

    private final VariableTable variables;
    private final HostResolver resolver;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private final Path prefix;
    private final LogOpener logs;

    /**
     * @param variables the variables that {@code proxy_set_header}, PROXY TLVs and log formats may use
     * @param resolver  resolves upstream host names, once
     * @param nanoClock monotonic nanoseconds for the upstream groups
     * @param random    the generator of {@code random} balancing
     * @param prefix    where relative access log paths start
     * @param logs      opens access log files
     */
    public HttpPlanner(VariableTable variables, HostResolver resolver, LongSupplier nanoClock, RandomGenerator random,
                       Path prefix, LogOpener logs) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.logs = Objects.requireNonNull(logs, "logs");
    }

    /**
     * The plan of every http listen socket, in the order the sockets first appear.
     *
     * @throws RuntimePlanException with every problem found
     */
    public List<HttpListenerPlan> plan(HttpConfig http) {
        Objects.requireNonNull(http, "http");
        Run run = new Run(http);
        Map<String, VirtualHosts> sockets;
        try {
            sockets = VirtualHosts.byListen(http.servers());
        } catch (IllegalArgumentException e) {
            throw new RuntimePlanException(List.of(e.getMessage().split("\n")));
        }
        Map<HttpServer, ServerPlan> servers = new IdentityHashMap<>();
        for (HttpServer server : http.servers()) {
            ServerPlan plan = run.server(server);
            if (plan != null) servers.put(server, plan);
        }
        List<HttpListenerPlan> plans = new ArrayList<>();
        for (VirtualHosts hosts : sockets.values()) {
            ListenerPlan listener = run.listener(hosts);
            if (listener == null || !run.problems.isEmpty()) continue;
            Map<HttpServer, ServerPlan> mine = new IdentityHashMap<>();
            for (HttpServer s : hosts.servers()) mine.put(s, servers.get(s));
            plans.add(new HttpListenerPlan(listener, hosts, mine));
        }
        run.sealDirectory();
        if (!run.problems.isEmpty()) throw new RuntimePlanException(run.problems);
        return List.copyOf(plans);
    }

    /**
     * ingress-nginx's headers, plus RFC 7239 {@code Forwarded} with {@code proxy_forwarded on}. {@code by=} is
     * left out: a location serves every socket of its server, so there is no single address of "this proxy".
     */
    static ForwardedHeaders.Options forwardedOptions(HttpSettings settings) {
        ForwardedHeaders.Options defaults = ForwardedHeaders.Options.ingressNginxDefaults();
        return settings.proxyForwarded()
                ? defaults.withForwarded(new ForwardedHeaders.Rfc7239(ForwardedHeaders.ForStyle.ADDRESS, Optional.empty()))
                : defaults;
    }

    /** The configuration's condition names are {@link FailureKind}'s directive names. */
    static NextUpstreamPolicy nextUpstream(HttpSettings.NextUpstream configured) {
        Set<FailureKind> kinds = EnumSet.noneOf(FailureKind.class);
        for (FailureKind kind : FailureKind.values()) {
            if (configured.conditions().contains(kind.directiveName())) kinds.add(kind);
        }
        return new NextUpstreamPolicy(kinds, configured.nonIdempotent(), configured.tries(), configured.timeout());
    }

    /** One planning pass: its problems and what is shared between servers. */
    private final class Run {
        final HttpConfig http;
        final List<String> problems = new ArrayList<>();
        final Map<String, Optional<UpstreamGroup>> groups = new HashMap<>();
        final Map<String, UpstreamPool> pools = new HashMap<>();
        final Map<String, RequestCountZone> zones = new HashMap<>();
        final UpstreamTlsPlanner upstreamTls = new UpstreamTlsPlanner(prefix);
        final Map<String, LeakyBucketZone> rateZones = new HashMap<>();
        final Map<Path, PasswordFile> passwordFiles = new HashMap<>();
        final LimitLog limitLog = LimitLog.standard(nanoClock);
        final LimitLog limitConnLog = LimitLog.limitConn(nanoClock);
        final AccessLogs formats;
        /** What a proxy_pass with variables can name; filled only when one exists. */
        final UpstreamDirectory directory = new UpstreamDirectory();
        final ResolverClients lookups = new ResolverClients(resolver, nanoClock);
        final UpstreamPool noKeepalive = new UpstreamPool(UpstreamKeepalive.NONE, nanoClock);
        boolean computed;

        Run(HttpConfig http) {
            this.http = http;
            this.formats = AccessLogs.compile(http.logFormats(), variables, prefix, problems);
        }

        ListenerPlan listener(VirtualHosts hosts) {
            // The socket's flags (ssl, http2, proxy_protocol) are those of its first listen, as in nginx.
            Listen first = hosts.servers().stream().flatMap(s -> s.listens().stream())
                    .filter(l -> l.bindKey().equals(hosts.bindKey())).findFirst().orElseThrow();
            SocketAddress address = first.socketAddress();
            if (!first.proxyProtocol()) return new ListenerPlan(first, address, Optional.empty());
            try {
                ReceiveSettings receive = TrustPolicies.receiveSettings(hosts.defaultServer().settings().accept());
                return new ListenerPlan(first, address, Optional.of(receive));
            } catch (IllegalArgumentException e) {
                problems.add(first.position() + ": " + e.getMessage());
                return null;
            }
        }

        ServerPlan server(HttpServer server) {
            int before = problems.size();
            LocationRouter router;
            try {
                router = new LocationRouter(server.locations());
            } catch (IllegalArgumentException e) {
                problems.addAll(List.of(e.getMessage().split("\n")));
                return null;
            }
            String where = server.position() + ": ";
            LocationPlan.Action serverAction = server.serverReturn()
                    .<LocationPlan.Action>map(r -> answer(r, where))
                    .orElse(new LocationPlan.NotFound());
            List<LocationPlan.Step> serverSteps = steps(server.rewrites(), serverAction,
                    server.settings().rewriteLog());
            if (serverSteps != null && hasReturn(serverSteps)) serverAction = new LocationPlan.NotFound();
            LocationPlan serverLevel = serverAction == null ? null
                    : location(serverAction, server.settings(), List.of(), Optional.empty(), where);
            Map<Location, LocationPlan> locations = new IdentityHashMap<>();
            addLocations(server.locations(), List.of(), locations);
            if (problems.size() > before || serverLevel == null || serverSteps == null) return null;
            return new ServerPlan(server, router, serverLevel, locations, serverSteps, variables.setSlots());
        }

        /** Each location with its own rewrite-module steps; a nested one not its parent's, as in nginx. */
        private void addLocations(List<Location> list, List<Pattern> enclosing, Map<Location, LocationPlan> out) {
            for (Location l : list) {
                List<Pattern> regexes = new ArrayList<>(enclosing);
                l.match().regex().ifPresent(regexes::add);
                String where = l.position() + ": ";
                LocationPlan.Action action = l.action().isPresent()
                        ? action(l, l.action().get(), where)
                        : new LocationPlan.NotFound();
                List<LocationPlan.Step> steps = withCaptures(regexes,
                        steps(l.rewrites(), action, l.settings().rewriteLog()), where);
                if (steps != null && hasReturn(steps)) action = new LocationPlan.NotFound();
                if (action != null && steps != null) {
                    LocationPlan.Action own = action;
                    Optional<LimitExceptPlan> limitExcept = l.limitExcept()
                            .map(block -> limitExcept(l, regexes, block, own, where));
                    LocationPlan plan = location(action, l.settings(), steps, limitExcept, where);
                    if (plan != null) out.put(l, plan);
                }
                addLocations(l.locations(), regexes, out);
            }
        }

        /**
         * {@code limit_except}: the plan of the methods the block does not list. nginx does not merge the rewrite
         * module's directives into the block, so these requests skip the location's {@code return}, {@code rewrite},
         * {@code set} and {@code if} (only a regex location's captures stay, made by the search); they are proxied by
         * the block's {@code proxy_pass}, else by the location's, and get what a location with nothing to serve gets
         * ({@link NothingToServe}) where the location only returns. Null after a problem (reported).
         */
        private LimitExceptPlan limitExcept(Location l, List<Pattern> regexes, LimitExcept block,
                                            LocationPlan.Action action, String where) {
            LocationPlan.Action limited = block.action().isPresent()
                    ? action(l, block.action().get(), block.position() + ": ")
                    : action instanceof LocationPlan.Forward || action instanceof LocationPlan.Computed ? action
                    : new LocationPlan.NotFound();
            List<LocationPlan.Step> steps = withCaptures(regexes, List.of(), where);
            if (limited == null || steps == null) return null;
            LocationPlan plan = location(limited, block.settings(), steps, Optional.empty(), block.position() + ": ");
            return plan == null ? null : new LimitExceptPlan(block.methods(), plan);
        }

        /**
         * The matches of the regex locations a location is found in ({@code regexes}: its enclosing ones and its own,
         * outermost first, as {@link dev.proxyline.server.http.routing.RegexMatches} keeps them) are the request's
         * captures, as nginx's search leaves them: each one's named groups, and {@code $1}..{@code $9} of the last
         * ({@link LocationPlan.LocationCaptures}, run before the location's own steps). Nothing where no regex makes
         * captures at all (then nothing reads {@code $1}); a regex naming no group is left out when the location's
         * first step is a {@code rewrite}, which replaces {@code $1}..{@code $9} before anything reads them
         * (ingress-nginx's rewrite-target locations). {@code steps} as they are otherwise, or null after a problem.
         */
        private List<LocationPlan.Step> withCaptures(List<Pattern> regexes, List<LocationPlan.Step> steps,
                                                     String where) {
            if (steps == null || regexes.isEmpty() || !(variables.find("1").orElse(null) instanceof SetVariable)) {
                return steps;
            }
            boolean rewriteFirst = !steps.isEmpty() && steps.get(0) instanceof LocationPlan.Rewrite;
            try {
                List<LocationPlan.Step> all = new ArrayList<>(steps.size() + regexes.size());
                for (int i = 0; i < regexes.size(); i++) {
                    Pattern regex = regexes.get(i);
                    if (rewriteFirst && NginxRegex.groupNames(regex).isEmpty()) continue;
                    all.add(new LocationPlan.LocationCaptures(i, regex.matcher("").groupCount() > 0,
                            RegexCaptures.of(regex, variables)));
                }
                all.addAll(steps);
                return all;
            } catch (TemplateException e) {
                problems.add(where + "location: " + e.getMessage());
                return null;
            }
        }

        private static boolean hasReturn(List<LocationPlan.Step> steps) {
            return steps.stream().anyMatch(step -> step instanceof LocationPlan.Return);
        }

        /**
         * A block's {@code set}, {@code rewrite} and {@code break} compiled, in order, with its {@code return}
         * ({@code action}) where it stands among them, and the block's {@code rewrite_log}; null after a problem.
         */
        private List<LocationPlan.Step> steps(List<RewriteStep> rules, LocationPlan.Action action, boolean log) {
            if (rules.isEmpty()) return List.of();
            List<LocationPlan.Step> steps = new ArrayList<>(rules.size());
            int problemsBefore = problems.size();
            for (RewriteStep rule : rules) {
                try {
                    if (rule instanceof SetRule set && VariableTable.CHANGEABLE.contains(set.variable())) {
                        steps.add(new LocationPlan.SetArgs(Template.compile(set.value(), variables)));
                    } else if (rule instanceof SetRule set) {
                        SetVariable variable = (SetVariable) variables.require(set.variable());
                        steps.add(new LocationPlan.SetStep(variable.index(), Template.compile(set.value(), variables)));
                    } else if (rule instanceof ReturnMarker) {
                        if (action instanceof LocationPlan.Answer answer) steps.add(new LocationPlan.Return(answer));
                    } else if (rule instanceof IfRule branch) {
                        LocationPlan.If compiled = ifStep(branch, log);
                        if (compiled != null) steps.add(compiled);
                    } else if (rule instanceof RewriteRule rewrite) {
                        steps.add(new LocationPlan.Rewrite(rewrite.regex(),
                                CapturingTemplate.compile(rewrite.replacement(), variables, rewrite.regex()),
                                rewrite.flag(), rewrite.redirects(), rewrite.redirectStatus(),
                                RegexCaptures.of(rewrite.regex(), variables), log));
                    } else {
                        steps.add(new LocationPlan.Break());
                    }
                } catch (TemplateException | ClassCastException e) {
                    String name = rule instanceof SetRule ? "set" : rule instanceof IfRule ? "if" : "rewrite";
                    problems.add(rule.position() + ": " + name + ": " + e.getMessage());
                }
            }
            return problems.size() > problemsBefore ? null : steps;
        }

        /** An {@code if} with its body, whose {@code return} is answered where it stands; null after a problem. */
        private LocationPlan.If ifStep(IfRule branch, boolean log) {
            IfTest test = IfTest.compile(branch.condition(), variables);
            LocationPlan.Action ret = new LocationPlan.NotFound();
            if (branch.ret().isPresent()) {
                ret = answer(branch.ret().get(), branch.position() + ": ");
                if (ret == null) return null;
            }
            List<LocationPlan.Step> body = steps(branch.steps(), ret, log);
            return body == null ? null : new LocationPlan.If(test, body, log);
        }

        /** {@code return}'s text or URL may hold variables, as in nginx; null after a problem. */
        private LocationPlan.Answer answer(HttpAction.Return r, String where) {
            try {
                return new LocationPlan.Answer(r.code(), r.textOrUrl().map(text -> Template.compile(text, variables)));
            } catch (TemplateException e) {
                problems.add(where + "return: " + e.getMessage());
                return null;
            }
        }

        private LocationPlan.Action action(Location location, HttpAction action, String where) {
            if (action instanceof HttpAction.Return r) return answer(r, where);
            HttpAction.ProxyPass pass = (HttpAction.ProxyPass) action;
            if (pass.target() instanceof ProxyTarget.Computed target) return computed(location, target, where);
            // The configuration refuses a URI part in regex and named locations, as nginx does.
            LocationMatch.Modifier m = location.match().modifier();
            UriRewrite uri = new UriRewrite(pass.uri(), location.match().pattern(), m == LocationMatch.Modifier.EXACT);
            Upstream upstream = null;
            String name;
            if (pass.target() instanceof ProxyTarget.UpstreamRef ref) {
                name = ref.name();
                upstream = http.upstreams().get(name);
            } else {
                name = ((ProxyTarget.Direct) pass.target()).endpoint().toString();
            }
            if (pass.target() instanceof ProxyTarget.UpstreamRef && upstream == null) {
                // nginx resolves an unknown name as a host; proxyline only knows upstream blocks and literals.
                problems.add(where + "host not found in upstream \"" + name + "\"");
                return null;
            }
            Optional<UpstreamGroup> group = groups.get(name);
            if (group == null) {
                group = group(pass.target(), upstream, where);
                groups.put(name, group);
            }
            if (group.isEmpty()) return null;
            Optional<Template> hashKey = Optional.empty();
            if (upstream != null && upstream.balancing() instanceof dev.proxyline.config.Balancing.Hash hash) {
                try {
                    hashKey = Optional.of(Template.compile(hash.key(), variables));
                } catch (IllegalArgumentException e) {
                    problems.add(upstream.position() + ": upstream \"" + name + "\" hash key: " + e.getMessage());
                    return null;
                }
            }
            UpstreamKeepalive keepalive = upstream == null ? UpstreamKeepalive.NONE : upstream.keepalive();
            UpstreamPool pool = pools.computeIfAbsent(name, n -> new UpstreamPool(keepalive, nanoClock));
            addToDirectory(pass.target(), new UpstreamDirectory.Entry(group.get(), hashKey, pool));
            UpstreamBootstrap bootstrap = new UpstreamBootstrap(UpstreamOptions.defaults()
                    .withConnectTimeout(location.settings().timeouts().proxyConnect())
                    .withKeepAlive(location.settings().socketKeepalive()));
            Optional<UpstreamTls> tls = Optional.empty();
            if (pass.scheme().equals("https")) {
                tls = upstreamTls.tls(location.settings().proxySsl(), pass.target(), problems);
                if (tls.isEmpty()) return null;
            }
            return new LocationPlan.Forward(new UpstreamPlan(group.get(), hashKey,
                    nextUpstream(location.settings().nextUpstream())), pool, uri, bootstrap, tls);
        }

        /**
         * {@code proxy_pass} with variables. Its URL may name any upstream block, so every block gets its group once
         * the http block is planned ({@link #sealDirectory}); null after a problem.
         */
        private LocationPlan.Action computed(Location location, ProxyTarget.Computed target, String where) {
            Template url;
            try {
                url = Template.compile(target.template(), variables);
            } catch (TemplateException e) {
                problems.add(where + "proxy_pass: " + e.getMessage());
                return null;
            }
            // As nginx, which readies TLS for every proxy_pass with variables: any request's URL may be https.
            Optional<java.util.function.Function<String, UpstreamTls>> tls =
                    upstreamTls.byHost(location.settings().proxySsl(), problems);
            if (tls.isEmpty()) return null;
            computed = true;
            Optional<NameLookup> lookup = target.resolver().flatMap(r -> lookups.client(r, problems));
            UpstreamBootstrap bootstrap = new UpstreamBootstrap(UpstreamOptions.defaults()
                    .withConnectTimeout(location.settings().timeouts().proxyConnect())
                    .withKeepAlive(location.settings().socketKeepalive()));
            return new LocationPlan.Computed(new ComputedProxy(url, directory, lookup, noKeepalive, bootstrap,
                    nextUpstream(location.settings().nextUpstream()), tls.get(), nanoClock));
        }

        /** A literal proxy_pass's group, as nginx's lookup for URLs with variables finds it (not a UNIX socket's). */
        private void addToDirectory(ProxyTarget target, UpstreamDirectory.Entry entry) {
            if (target instanceof ProxyTarget.UpstreamRef ref) {
                directory.block(ref.name(), entry);
            } else if (((ProxyTarget.Direct) target).endpoint() instanceof Endpoint.Host host) {
                directory.implicit(host.host(), host.port(), entry);
            } else if (((ProxyTarget.Direct) target).endpoint() instanceof Endpoint.Inet inet) {
                String a = inet.address().getHostAddress();
                directory.implicit(a.indexOf(':') >= 0 ? "[" + a + "]" : a, inet.port(), entry);
            }
        }

        /**
         * The upstream blocks no literal proxy_pass names get their groups too, so that their problems stop the start
         * as nginx's do (it readies every block); with a proxy_pass with variables they join the directory, which is
         * then what requests read.
         */
        void sealDirectory() {
            for (Upstream upstream : http.upstreams().values()) {
                String name = upstream.name();
                if (groups.containsKey(name)) continue;
                String where = upstream.position() + ": ";
                Optional<UpstreamGroup> group = group(new ProxyTarget.UpstreamRef(name), upstream, where);
                groups.put(name, group);
                Optional<Template> hashKey = Optional.empty();
                if (upstream.balancing() instanceof dev.proxyline.config.Balancing.Hash hash) {
                    try {
                        hashKey = Optional.of(Template.compile(hash.key(), variables));
                    } catch (IllegalArgumentException e) {
                        problems.add(where + "upstream \"" + name + "\" hash key: " + e.getMessage());
                        continue;
                    }
                }
                if (group.isEmpty() || !computed) continue;
                UpstreamPool pool = pools.computeIfAbsent(name, n -> new UpstreamPool(upstream.keepalive(), nanoClock));
                directory.block(name, new UpstreamDirectory.Entry(group.get(), hashKey, pool));
            }
            directory.seal();
        }

        private Optional<UpstreamGroup> group(ProxyTarget target, Upstream upstream, String where) {
            try {
                if (upstream != null) return Optional.of(UpstreamGroups.group(upstream, resolver, nanoClock, random));
                ProxyTarget.Direct direct = (ProxyTarget.Direct) target;
                return Optional.of(UpstreamGroups.direct(direct.endpoint(), resolver, nanoClock, random));
            } catch (RuntimePlanException e) {
                problems.addAll(e.problems());
            } catch (IllegalArgumentException e) {
                problems.add(where + "proxy_pass: " + e.getMessage());
            }
            return Optional.empty();
        }

        private LocationPlan location(LocationPlan.Action action, HttpSettings settings, List<LocationPlan.Step> steps,
                                      Optional<LimitExceptPlan> limitExcept, String where) {
            int before = problems.size();
            RealIp realIp = null;
            try {
                realIp = RealIp.of(settings.realIp());
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
            List<LocationPlan.SetHeader> setHeaders = new ArrayList<>();
            for (HttpSettings.HeaderRule rule : settings.proxySetHeaders()) {
                try {
                    Template value = Template.compile(rule.value(), variables);
                    // A hop-by-hop field (Keep-Alive, TE, ...) or Expect is never forwarded, whoever sets it: this
                    // proxy manages its upstream connection itself. Such a rule is dropped here, once.
                    if (!ProxyExchange.notForwarded(rule.name(), HopByHop.ALWAYS_ONLY)) {
                        setHeaders.add(new LocationPlan.SetHeader(rule.name(), value));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + "proxy_set_header " + rule.name() + ": " + e.getMessage());
                }
            }
            Optional<ProxyHeaderBuilder> send = Optional.empty();
            if (settings.proxyProtocol().enabled()) {
                try {
                    send = Optional.of(ProxyHeaderBuilder.of(settings.proxyProtocol(), variables));
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
            }
            List<LocationPlan.AddHeader> addHeaders = new ArrayList<>();
            for (HttpSettings.AddHeader header : settings.addHeaders()) {
                try {
                    addHeaders.add(new LocationPlan.AddHeader(header.name(), Template.compile(header.value(), variables),
                            header.always()));
                } catch (TemplateException e) {
                    problems.add(where + "add_header " + header.name() + ": " + e.getMessage());
                }
            }
            SessionLog log = accessLog(settings.accessLogs(), where);
            ErrorPagePlan errorPages = ErrorPagePlan.of(settings.errorPages(), variables, problems);
            RedirectRewrite redirects = RedirectRewrite.of(settings.redirects(), variables, where, problems);
            Optional<AccessPhase> authBasic = authBasic(settings.authBasic(), where);
            if (problems.size() > before) return null;
            ForwardedHeaders forwarded = new ForwardedHeaders(forwardedOptions(settings), REQUEST_IDS,
                    ForwardedHeaders.Field.named(setHeaders.stream().map(LocationPlan.SetHeader::name).toList()));
            return new LocationPlan(action, realIp, settings.access(), forwarded, setHeaders,
                    settings.timeouts(), settings.keepaliveRequests(), settings.clientMaxBodySize(),
                    settings.ignoreClientAbort(), send, log,
                    GzipPolicy.of(settings.gzip()), steps, addHeaders,
                    settings.hideHeaders().isEmpty() && settings.passHeaders().isEmpty() ? UpstreamHeaderFilter.DEFAULT
                            : UpstreamHeaderFilter.of(settings.hideHeaders(), settings.passHeaders()),
                    limitConn(settings), limitReq(settings.limitReq()), errorPages, redirects, authBasic,
                    limitExcept, settings.client().resetTimedoutConnection());
        }

        /** {@code auth_basic}: locations naming one file share its reader, and so its cached contents. */
        private Optional<AccessPhase> authBasic(AuthBasic auth, String where) {
            if (!auth.enabled()) return Optional.empty();
            try {
                Template realm = Template.compile(auth.realm().orElseThrow(), variables);
                PasswordFile file = passwordFiles.computeIfAbsent(prefix.resolve(auth.userFile().orElseThrow()),
                        PasswordFile::new);
                return Optional.of(new AccessPhase(realm, file, auth.any()));
            } catch (IllegalArgumentException e) {
                problems.add(where + "auth_basic: " + e.getMessage());
                return Optional.empty();
            }
        }

        /** The location's {@code limit_req}s, each with its zone (one per name for the whole http block). */
        private LimitReqPlan limitReq(LimitReqSettings settings) {
            List<RateLimits.Limit> limits = new ArrayList<>();
            List<Template> keys = new ArrayList<>();
            for (LimitReqSettings.Rule rule : settings.rules()) {
                LimitReqZone config = http.limitReqZones().get(rule.zone());
                if (config == null) continue; // reported by the configuration
                try {
                    keys.add(Template.compile(config.key(), variables));
                } catch (TemplateException e) {
                    problems.add(config.position() + ": limit_req_zone: " + e.getMessage());
                    continue;
                }
                LeakyBucketZone zone = rateZones.computeIfAbsent(config.name(), name -> new LeakyBucketZone(name,
                        config.size(), config.rate(), () -> nanoClock.getAsLong() / 1_000_000));
                limits.add(new RateLimits.Limit(zone, rule.burst() * 1000L, rule.delay() * 1000L));
            }
            return new LimitReqPlan(new RateLimits(limits), keys, settings.status(), settings.logLevel(),
                    settings.dryRun(), limitLog);
        }

        /** The location's {@code limit_conn}s, each with its zone (one per name for the whole http block). */
        private LimitConnPlan limitConn(HttpSettings settings) {
            return new LimitConnPlan(SessionLimits.of(settings.limitConns(), http.limitConnZones(), zones, variables,
                    settings.limitConnOptions(), problems), settings.limitConnStatus(), limitConnLog);
        }

        private SessionLog accessLog(List<AccessLog> configured, String where) {
            int before = problems.size();
            List<LogTarget> targets = formats.targets(configured, where, problems);
            if (problems.size() > before || targets.isEmpty()) return SessionLog.off();
            try {
                return logs.open(targets);
            } catch (IOException | IllegalArgumentException e) {
                problems.add(where + "access_log: " + e.getMessage());
                return SessionLog.off();
            }
        }
    }
}
