package dev.proxyline.server.runtime;

import dev.proxyline.server.variables.SessionSnapshot;
import java.util.function.Supplier;

/**
 * Where the sessions of one stream server go: the same {@link UpstreamPlan} for all of them, or one chosen per
 * session from a {@code proxy_pass} with variables ({@link ComputedRoute}).
 */
public sealed interface StreamRoute permits UpstreamPlan, ComputedRoute {
    /**
     * The plan for one session, asked once its earlier stages (PROXY header, {@code ssl_preread}) are done.
     *
     * @param session the session's facts as they stand; asked for only when the route depends on them
     * @throws dev.proxyline.server.stream.UnroutableSessionException when the session has nowhere to go
     */
    UpstreamPlan planFor(Supplier<SessionSnapshot> session);
}
