package dev.proxyline.server.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The staple of one certificate and when to ask the responder next, by nginx's rules: a response is stapled until
 * its nextUpdate (forever without one); the next request goes out an hour after a good one, or five minutes before
 * nextUpdate when that is sooner, but never sooner than five minutes; after a failure, five minutes later, the old
 * staple served meanwhile while it is valid. Changed by one thread, read by any; plain Java.
 */
final class StapleCache {
    static final Duration RETRY = Duration.ofMinutes(5);
    static final Duration REFRESH = Duration.ofHours(1);
    /** How long before nextUpdate a new response is asked for. */
    static final Duration AHEAD = Duration.ofMinutes(5);

    private record Held(byte[] der, Instant validUntil) {
    }

    private final Clock clock;
    private volatile Held held;
    private Instant refreshAt;

    StapleCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshAt = clock.instant();
    }

    /** The bytes to staple; {@code null} while there is none (the handshake path: one volatile read, no copy). */
    byte[] current() {
        Held h = held;
        return h == null ? null : h.der();
    }

    /** A response passed the checks: it is stapled from now on. */
    void accepted(byte[] der, Optional<Instant> nextUpdate) {
        Instant now = clock.instant();
        Instant valid = nextUpdate.orElse(Instant.MAX);
        held = new Held(der, valid);
        Instant beforeExpiry = nextUpdate.map(n -> n.minus(AHEAD)).orElse(Instant.MAX);
        Instant soonest = now.plus(RETRY);
        Instant planned = min(beforeExpiry, now.plus(REFRESH));
        refreshAt = planned.isBefore(soonest) ? soonest : planned;
    }

    /** The responder could not be asked, or its answer failed the checks: try again later, keeping a valid staple. */
    void failed() {
        refreshAt = clock.instant().plus(RETRY);
    }

    /** Drops a staple past its nextUpdate. */
    void expire() {
        Held h = held;
        if (h != null && h.validUntil().isBefore(clock.instant())) held = null;
    }

    /** Whether the responder is to be asked now. */
    boolean refreshDue() {
        return !refreshAt.isAfter(clock.instant());
    }

    /** When to look again: the refresh, or the staple's expiry when that comes first. */
    Instant nextRun() {
        Held h = held;
        return h != null && h.validUntil().isBefore(refreshAt) ? h.validUntil() : refreshAt;
    }

    /** How long from now until {@link #nextRun()}, at least zero. */
    Duration untilNextRun() {
        Duration d = Duration.between(clock.instant(), nextRun());
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
