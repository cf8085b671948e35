package dev.proxyline.server.runtime;

import dev.proxyline.config.Balancing;
import dev.proxyline.config.Listen;
import dev.proxyline.config.ProxyTarget;
import dev.proxyline.server.runtime.dns.ResolverClients;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.config.StreamConfig;
import dev.proxyline.config.StreamServer;
import dev.proxyline.config.StreamSettings;
import dev.proxyline.config.Upstream;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.server.accesslog.AccessLogs;
import dev.proxyline.server.accesslog.LogTarget;
import dev.proxyline.server.limit.RequestCountZone;
import dev.proxyline.server.limit.SessionLimits;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Turns a loaded {@link ProxylineConfig} into one {@link RuntimePlan} per stream server. Plain
 * functions of the configuration and the injected resolver, clock and random generator: no sockets,
 * no files opened, no threads. Names in upstream servers are resolved here, once (see
 * {@link UpstreamGroups}); call it at startup, off the event loops.
 *
 * <p>Every problem is collected and reported at once in a {@link RuntimePlanException}.
 */
public final class RuntimePlanner {
    private final VariableTable variables;
    private final HostResolver resolver;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private final Path prefix;
    /** One DNS client set per distinct {@code resolver}, shared by the servers that have it. */
    private final ResolverClients lookups;

    /**
     * @param variables the stream variables templates are compiled against
     * @param resolver  resolves host names of upstream servers, once
     * @param nanoClock monotonic nanoseconds for the upstream groups
     * @param random    the generator of {@code random} balancing
     * @param prefix    the directory relative access log paths are resolved against (nginx's prefix)
     */
    public RuntimePlanner(VariableTable variables, HostResolver resolver, LongSupplier nanoClock,
                          RandomGenerator random, Path prefix) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.lookups = new ResolverClients(resolver, nanoClock);
    }

    /**
     * The plans of every stream server, in configuration order; none without a {@code stream} block.
     *
     * @throws RuntimePlanException with every problem found
     */
    public List<RuntimePlan> plan(ProxylineConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.stream().isEmpty()) {
            return List.of();
        }
        StreamConfig stream = config.stream().get();
        List<String> problems = new ArrayList<>();
        AccessLogs formats = AccessLogs.compile(stream.logFormats(), variables, prefix, problems);
        Map<String, Optional<Built>> groups = new HashMap<>();
        Map<String, RequestCountZone> zones = new HashMap<>();
        List<RuntimePlan> plans = new ArrayList<>();
        for (StreamServer server : stream.servers()) {
            int before = problems.size();
            RuntimePlan plan = planServer(server, stream, formats, groups, zones, problems);
            if (problems.size() == before) {
                plans.add(plan);
            }
        }
        // nginx readies every upstream block at start, named or not: an unused one's errors stop the start too.
        for (String name : stream.upstreams().keySet()) {
            built(name, new ProxyTarget.UpstreamRef(name), stream, groups, problems);
        }
        if (!problems.isEmpty()) {
            throw new RuntimePlanException(problems);
        }
        return List.copyOf(plans);
    }

    private RuntimePlan planServer(StreamServer server, StreamConfig stream, AccessLogs formats,
                                   Map<String, Optional<Built>> groups, Map<String, RequestCountZone> zones,
                                   List<String> problems) {
        String where = server.position() + ": ";
        StreamSettings settings = server.settings();

        Optional<ReceiveSettings> receive = Optional.empty();
        if (server.listens().stream().anyMatch(Listen::proxyProtocol)) {
            try {
                receive = Optional.of(TrustPolicies.receiveSettings(settings.accept()));
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
        }
        List<ListenerPlan> listeners = new ArrayList<>();
        for (Listen listen : server.listens()) {
            SocketAddress address = listen.socketAddress();
            if (!listen.proxyProtocol()) {
                listeners.add(new ListenerPlan(listen, address, Optional.empty()));
            } else if (receive.isPresent()) {
                listeners.add(new ListenerPlan(listen, address, receive));
            }
        }

        StreamRoute upstream = upstream(server, stream, groups, where, problems);

        Optional<ProxyHeaderBuilder> send = Optional.empty();
        if (settings.send().enabled()) {
            try {
                send = Optional.of(ProxyHeaderBuilder.of(settings.send(), variables));
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
        }

        List<LogTarget> logs = formats.targets(settings.accessLogs(), where, problems);
        SessionLimits limits = limits(settings, stream, zones, problems);
        if (upstream == null || listeners.isEmpty()) {
            return null;
        }
        return new RuntimePlan(server.position(), listeners, upstream, settings, send, logs, limits,
                server.proxyPass());
    }

    /** The server's {@code limit_conn}s, each with its zone: one per name for the whole stream block. */
    private SessionLimits limits(StreamSettings settings, StreamConfig stream, Map<String, RequestCountZone> zones,
                                 List<String> problems) {
        if (settings.limitConns().isEmpty()) {
            return SessionLimits.none();
        }
        return SessionLimits.of(settings.limitConns(), stream.limitConnZones(), zones, variables,
                settings.limitConnOptions(), problems);
    }

    private StreamRoute upstream(StreamServer server, StreamConfig stream, Map<String, Optional<Built>> groups,
                                 String where, List<String> problems) {
        StreamSettings settings = server.settings();
        NextUpstreamPolicy next = NextUpstreamPolicy.stream(settings.nextUpstream(), settings.nextUpstreamTries(),
                settings.nextUpstreamTimeout());
        ProxyTarget target = server.proxyPass();
        if (target instanceof ProxyTarget.Computed computed) {
            return computed(computed, stream, groups, next, problems);
        }
        String name;
        if (target instanceof ProxyTarget.UpstreamRef ref) {
            name = ref.name();
            if (!stream.upstreams().containsKey(name)) {
                problems.add(where + "host not found in upstream \"" + name + "\"");
                return null;
            }
        } else {
            name = ((ProxyTarget.Direct) target).endpoint().toString();
        }
        return built(name, target, stream, groups, problems).map(b -> new UpstreamPlan(b.group(), b.hashKey(), next))
                .orElse(null);
    }

    /** Built once per name: servers naming one upstream share its peers' state, and a broken upstream is reported once. */
    private Optional<Built> built(String name, ProxyTarget target, StreamConfig stream,
                                  Map<String, Optional<Built>> groups, List<String> problems) {
        Optional<Built> built = groups.get(name);
        if (built == null) {
            built = build(target, stream, problems);
            groups.put(name, built);
        }
        return built;
    }

    /**
     * {@code proxy_pass} with variables: the value compiled, and every upstream of the {@code stream} block ready
     * (the same groups the servers that name them use), since any of them may be the value of a session.
     */
    private StreamRoute computed(ProxyTarget.Computed target, StreamConfig stream, Map<String, Optional<Built>> groups,
                                 NextUpstreamPolicy next, List<String> problems) {
        Template value;
        try {
            value = Template.compile(target.template(), variables);
        } catch (TemplateException e) {
            problems.add(target.position() + ": proxy_pass: " + e.getMessage());
            return null;
        }
        Map<String, UpstreamPlan> upstreams = new HashMap<>();
        for (String name : stream.upstreams().keySet()) {
            built(name, new ProxyTarget.UpstreamRef(name), stream, groups, problems).ifPresent(b ->
                    upstreams.put(name.toLowerCase(Locale.ROOT), new UpstreamPlan(b.group(), b.hashKey(), next)));
        }
        return new ComputedRoute(value, upstreams, next, nanoClock, random,
                target.resolver().flatMap(r -> lookups.client(r, problems)));
    }

    /** A group and its compiled hash key. */
    private record Built(UpstreamGroup group, Optional<Template> hashKey) {
    }

    private Optional<Built> build(ProxyTarget target, StreamConfig stream, List<String> problems) {
        if (target instanceof ProxyTarget.Direct direct) {
            try {
                return Optional.of(new Built(UpstreamGroups.direct(direct.endpoint(), resolver, nanoClock, random),
                        Optional.empty()));
            } catch (IllegalArgumentException e) {
                problems.add("proxy_pass " + direct.endpoint() + ": " + e.getMessage());
                return Optional.empty();
            }
        }
        Upstream upstream = stream.upstreams().get(((ProxyTarget.UpstreamRef) target).name());
        int before = problems.size();
        Optional<Template> key = Optional.empty();
        if (upstream.balancing() instanceof Balancing.Hash hash) {
            try {
                key = Optional.of(Template.compile(hash.key(), variables));
            } catch (IllegalArgumentException e) {
                problems.add(upstream.position() + ": upstream \"" + upstream.name() + "\" hash key: " + e.getMessage());
            }
        }
        UpstreamGroup group = null;
        try {
            group = UpstreamGroups.group(upstream, resolver, nanoClock, random);
        } catch (RuntimePlanException e) {
            problems.addAll(e.problems());
        }
        return problems.size() == before ? Optional.of(new Built(group, key)) : Optional.empty();
    }
}
