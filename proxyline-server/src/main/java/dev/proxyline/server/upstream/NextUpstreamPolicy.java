package dev.proxyline.server.upstream;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@code proxy_next_upstream}, {@code proxy_next_upstream_tries} and
 * {@code proxy_next_upstream_timeout}: when a failed attempt may be passed to the next server.
 *
 * @param conditions    failures that pass the request on; empty means {@code off}
 * @param nonIdempotent {@code non_idempotent}: also pass on POST, LOCK and PATCH once sent
 * @param tries         at most this many attempts in all; 0 means no limit beyond the number of servers
 * @param timeout       no further attempt once this long has passed since the first; zero means no limit
 */
public record NextUpstreamPolicy(Set<FailureKind> conditions, boolean nonIdempotent, int tries, Duration timeout) {

    /** Validates and freezes the fields. */
    public NextUpstreamPolicy {
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(timeout, "timeout");
        conditions = conditions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(conditions));
        if (tries < 0) {
            throw new IllegalArgumentException("invalid proxy_next_upstream_tries " + tries + " (expected 0 or more)");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("invalid proxy_next_upstream_timeout " + timeout + " (expected 0 or more)");
        }
    }

    /** nginx's defaults for HTTP: {@code error timeout}, no tries limit, no timeout. */
    public static NextUpstreamPolicy httpDefault() {
        return new NextUpstreamPolicy(EnumSet.of(FailureKind.ERROR, FailureKind.TIMEOUT), false, 0, Duration.ZERO);
    }

    /**
     * The stream module's {@code proxy_next_upstream on|off}: only a failed connection is passed on;
     * defaults there are {@code on}, no tries limit, no timeout.
     */
    public static NextUpstreamPolicy stream(boolean on, int tries, Duration timeout) {
        Set<FailureKind> conditions = on ? EnumSet.of(FailureKind.ERROR, FailureKind.TIMEOUT) : Set.of();
        return new NextUpstreamPolicy(conditions, false, tries, timeout);
    }

    /** {@code proxy_next_upstream off}: every failure is final. */
    public static NextUpstreamPolicy off() {
        return new NextUpstreamPolicy(Set.of(), false, 0, Duration.ZERO);
    }

    /** This policy with {@code proxy_next_upstream_tries}. */
    public NextUpstreamPolicy withTries(int newTries) {
        return new NextUpstreamPolicy(conditions, nonIdempotent, newTries, timeout);
    }

    /** This policy with {@code proxy_next_upstream_timeout}. */
    public NextUpstreamPolicy withTimeout(Duration newTimeout) {
        return new NextUpstreamPolicy(conditions, nonIdempotent, tries, newTimeout);
    }
}
