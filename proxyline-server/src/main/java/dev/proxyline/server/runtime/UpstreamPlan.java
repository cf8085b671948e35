package dev.proxyline.server.runtime;

import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.NextUpstreamPolicy;
import dev.proxyline.server.upstream.UpstreamGroup;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a stream server relays to and how it retries.
 *
 * @param group        the upstream group; servers naming the same upstream share one group (and its
 *                     peer state), as in nginx
 * @param hashKey      the compiled {@code hash} key, for the hash methods
 * @param nextUpstream {@code proxy_next_upstream}, {@code _tries} and {@code _timeout}
 */
public record UpstreamPlan(UpstreamGroup group, Optional<Template> hashKey, NextUpstreamPolicy nextUpstream)
        implements StreamRoute {
    public UpstreamPlan {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(hashKey, "hashKey");
        Objects.requireNonNull(nextUpstream, "nextUpstream");
    }

    /** Every session of a fixed {@code proxy_pass} goes here. */
    @Override
    public UpstreamPlan planFor(Supplier<SessionSnapshot> session) {
        return this;
    }

    /**
     * Starts choosing peers for a session; the hash key is rendered from {@code session} (taken when
     * the client's PROXY header, if any, is in, so that {@code $remote_addr} is the real client).
     * The snapshot is asked for only when there is a hash key: building one costs more than the
     * rest of the choice.
     */
    public AttemptSequence begin(Supplier<SessionSnapshot> session) {
        String key = hashKey.isPresent() ? hashKey.get().render(session.get()) : "";
        return group.begin(key, nextUpstream);
    }
}
