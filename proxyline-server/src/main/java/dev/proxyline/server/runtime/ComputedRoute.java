package dev.proxyline.server.runtime;

import dev.proxyline.config.Endpoint;
import dev.proxyline.config.StreamTargetValue;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.UnroutableSessionException;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
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
 * that gets a one-server group of its own for the session (UNIX-domain upstreams are not supported yet: 502). nginx's failures, with its words: an empty or malformed
 * value ends the session with 500, a value without a port ({@code no port in upstream}) too, and a host name with
 * a port with 502, as proxyline has no {@code resolver} ({@code no resolver defined to resolve}).
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

    /**
     * @param value        the compiled {@code proxy_pass} value
     * @param upstreams    the plans of the {@code stream} block's upstreams, by name in lower case
     * @param nextUpstream the server's {@code proxy_next_upstream} policy, for address literals
     */
    public ComputedRoute(Template value, Map<String, UpstreamPlan> upstreams, NextUpstreamPolicy nextUpstream,
                         LongSupplier nanoClock, RandomGenerator random) {
        this.value = Objects.requireNonNull(value, "value");
        this.upstreams = Map.copyOf(upstreams);
        this.nextUpstream = Objects.requireNonNull(nextUpstream, "nextUpstream");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public UpstreamPlan planFor(Supplier<SessionSnapshot> session) {
        String target = value.render(session.get());
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
        if (endpoint.get() instanceof Endpoint.Host host) {
            throw new UnroutableSessionException(SessionStatus.BAD_GATEWAY,
                    "no resolver defined to resolve " + host.host());
        }
        try {
            return new UpstreamPlan(UpstreamGroups.direct(endpoint.get(), LITERALS_ONLY, nanoClock, random),
                    Optional.empty(), nextUpstream);
        } catch (IllegalArgumentException e) {
            // What proxyline cannot connect to at all (a UNIX-domain socket), as a connect that failed.
            throw new UnroutableSessionException(SessionStatus.BAD_GATEWAY, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "proxy_pass " + value;
    }
}
