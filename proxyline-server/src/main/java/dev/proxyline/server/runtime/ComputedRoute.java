package dev.proxyline.server.runtime;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.StreamTargetValue;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.UnroutableSessionException;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.runtime.dns.NameLookup;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A stream {@code proxy_pass} with variables, as nginx's stream proxy reads it per session: the expanded value is
 * the name of an upstream block of the {@code stream} context (case-insensitive; those groups, and their peers'
 * state, are the ones every other server shares), else an address literal ({@code ADDR:PORT}, {@code unix:PATH})
 * that gets a one-server group of its own for the session, else
 * a host name with a port, looked up with the server's {@code resolver} ({@link #planLater}; the session's group is
 * the answer's addresses). nginx's failures, with its words, all ending the session with 500 (nginx 1.22's stream
 * proxy, checked against it): an empty or malformed value, a value without a port ({@code no port in upstream}), a
 * host name without {@code resolver} ({@code no resolver defined to resolve}) and one the lookup did not find
 * ({@code could not be resolved}).
 */
public final class ComputedRoute implements StreamRoute {
    private final Template value;
    private final Map<String, UpstreamPlan> upstreams;
    private final NextUpstreamPolicy nextUpstream;
    /** Only literals get here: host names are refused before, as nginx refuses them without a resolver. */
    private static final HostResolver LITERALS_ONLY = host -> {
        throw new IllegalStateException("a literal endpoint needs no resolver");
    };
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private final Optional<NameLookup> lookup;

    /**
     * @param value        the compiled {@code proxy_pass} value
     * @param upstreams    the plans of the {@code stream} block's upstreams, by name in lower case
     * @param nextUpstream the server's {@code proxy_next_upstream} policy, for address literals
     * @param lookup       the server's {@code resolver}, if any
     */
    public ComputedRoute(Template value, Map<String, UpstreamPlan> upstreams, NextUpstreamPolicy nextUpstream,
                         LongSupplier nanoClock, RandomGenerator random, Optional<NameLookup> lookup) {
        this.value = Objects.requireNonNull(value, "value");
        this.upstreams = Map.copyOf(upstreams);
        this.nextUpstream = Objects.requireNonNull(nextUpstream, "nextUpstream");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** With a {@code resolver} a session may wait for a DNS answer: {@link #planLater} serves it. */
    public boolean looksUp() {
        return lookup.isPresent();
    }

    @Override
    public UpstreamPlan planFor(Supplier<SessionSnapshot> session) {
        String target = value.render(session.get());
        UpstreamPlan plan = fixed(target);
        if (plan == null) {
            throw new UnroutableSessionException(SessionStatus.INTERNAL_SERVER_ERROR,
                    "no resolver defined to resolve " + hostOf(target).host());
        }
        return plan;
    }

    /**
     * The plan for one session, when its value may be a name to look up: on {@code client}'s event loop, failed with
     * an {@link UnroutableSessionException} where the session has nowhere to go.
     */
    public Future<UpstreamPlan> planLater(Channel client, Supplier<SessionSnapshot> session) {
        EventLoop loop = client.eventLoop();
        String target = value.render(session.get());
        UpstreamPlan plan;
        try {
            plan = fixed(target);
        } catch (UnroutableSessionException e) {
            return loop.newFailedFuture(e);
        }
        if (plan != null) return loop.newSucceededFuture(plan);
        if (lookup.isEmpty()) {
            return loop.newFailedFuture(new UnroutableSessionException(SessionStatus.INTERNAL_SERVER_ERROR,
                    "no resolver defined to resolve " + hostOf(target).host()));
        }
        Endpoint.Host host = hostOf(target);
        Promise<UpstreamPlan> found = loop.newPromise();
        lookup.get().lookup(client, host.host()).addListener((Future<List<InetAddress>> done) -> {
            if (done.isSuccess()) {
                found.trySuccess(new UpstreamPlan(UpstreamGroups.lookedUp(host.host(), host.port(), done.getNow(),
                        nanoClock), Optional.empty(), nextUpstream));
            } else {
                found.tryFailure(new UnroutableSessionException(SessionStatus.INTERNAL_SERVER_ERROR,
                        done.cause().getMessage()));
            }
        });
        return found;
    }

    private static Endpoint.Host hostOf(String target) {
        return (Endpoint.Host) StreamTargetValue.parse(target).endpoint().orElseThrow();
    }

    /** The plan of a value that needs no lookup; null for a host name. */
    private UpstreamPlan fixed(String target) {
        UpstreamPlan named = upstreams.get(target.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        StreamTargetValue.Parsed parsed = StreamTargetValue.parse(target);
        Optional<Endpoint> endpoint = parsed.endpoint();
        if (parsed.noPort()) {
            throw new UnroutableSessionException(SessionStatus.INTERNAL_SERVER_ERROR,
                    "no port in upstream \"" + target + "\"");
        }
        if (endpoint.isEmpty()) {
            throw new UnroutableSessionException(SessionStatus.INTERNAL_SERVER_ERROR,
                    parsed.error() + " in upstream \"" + target + "\"");
        }
        if (endpoint.get() instanceof Endpoint.Host) {
            return null;
        }
        try {
            return new UpstreamPlan(UpstreamGroups.direct(endpoint.get(), LITERALS_ONLY, nanoClock, random),
                    Optional.empty(), nextUpstream);
        } catch (IllegalArgumentException e) {
            // A socket path the JDK cannot hold (a NUL byte in it): nothing can connect there, as a connect that failed.
            throw new UnroutableSessionException(SessionStatus.BAD_GATEWAY, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "proxy_pass " + value;
    }
}
