package dev.proxyline.server.http.limit;

import java.util.List;
import java.util.Objects;

/**
 * The {@code limit_req}s of one location, checked as nginx's preaccess phase checks them: in order, each key
 * against its zone's bucket; the first limit whose key is over its burst rejects the request, and what the limits
 * before it held is let go with nothing recorded. A request that passes every limit is recorded in each bucket,
 * and waits for the longest delay any of them asks for (a limit's delay is the time the rate takes to drain the
 * excess beyond its {@code delay=} threshold; {@code nodelay} never asks for one). Keys that are empty are not
 * limited.
 */
public final class RateLimits {
    private final List<Limit> limits;

    public RateLimits(List<Limit> limits) {
        this.limits = List.copyOf(limits);
    }

    public List<Limit> limits() {
        return limits;
    }

    /**
     * One {@code limit_req}.
     *
     * @param burst thousandths of a request a key may be ahead of the rate before requests are refused
     * @param delay thousandths of a request a key may be ahead of the rate before requests wait
     */
    public record Limit(LeakyBucketZone zone, long burst, long delay) {
        public Limit {
            Objects.requireNonNull(zone, "zone");
            if (burst < 0 || delay < 0) throw new IllegalArgumentException("burst " + burst + ", delay " + delay);
        }
    }

    /**
     * What the limits decided for a request.
     *
     * @param excess      thousandths of a request the deciding limit's key was ahead of the rate
     * @param delayMillis how long the request waits (DELAYED only)
     * @param limit       the index of the limit that decided (rejected, or asked for the longest delay)
     */
    public record Verdict(Kind kind, long excess, long delayMillis, int limit) {
        /** Every key was empty: no limit applied. */
        public static final Verdict NOT_LIMITED = new Verdict(Kind.NOT_LIMITED, 0, 0, -1);
        static final Verdict PASSED = new Verdict(Kind.PASSED, 0, 0, -1);

        public Verdict {
            Objects.requireNonNull(kind, "kind");
        }
    }

    public enum Kind {
        NOT_LIMITED,
        PASSED,
        DELAYED,
        REJECTED,
        /** The zone had no room for a new key (nginx's "could not allocate node"): rejected, not logged as limiting. */
        NO_ROOM
    }

    /**
     * Checks one request and records it where it passes.
     *
     * @param keys each limit's key for this request, in order; an empty one is not limited
     */
    public Verdict check(String[] keys) {
        if (keys.length != limits.size()) throw new IllegalArgumentException(keys.length + " keys");
        if (keys.length == 0) return Verdict.NOT_LIMITED;
        LeakyBucketZone.Probe probe = new LeakyBucketZone.Probe();
        LeakyBucketZone.Bucket[] held = limits.size() == 1 ? null : new LeakyBucketZone.Bucket[limits.size()];
        int last = limits.size() - 1;
        boolean looked = false;
        int n;
        for (n = 0; n <= last; n++) {
            if (keys[n].isEmpty()) continue;
            probe.held = null;
            limits.get(n).zone().lookup(keys[n], limits.get(n).burst(), n == last, probe);
            looked = true;
            if (probe.outcome != LeakyBucketZone.Probe.AGAIN) break;
            held[n] = probe.held;
        }
        if (!looked) return Verdict.NOT_LIMITED;
        if (probe.outcome == LeakyBucketZone.Probe.BUSY || probe.outcome == LeakyBucketZone.Probe.NO_ROOM) {
            for (int i = n - 1; i >= 0; i--) {
                if (held[i] != null) limits.get(i).zone().release(held[i]);
            }
            return new Verdict(probe.outcome == LeakyBucketZone.Probe.BUSY ? Kind.REJECTED : Kind.NO_ROOM,
                    probe.excess, 0, n);
        }
        // n is past the last limit when its key was empty: every limit looked up holds its bucket.
        long excess = probe.outcome == LeakyBucketZone.Probe.OK ? probe.excess : 0;
        int deciding = Math.min(n, last);
        long maxDelay = delayFor(limits.get(deciding), excess);
        for (int i = n - 1; i >= 0; i--) {
            if (held[i] == null) continue;
            Limit limit = limits.get(i);
            long e = limit.zone().account(held[i]);
            long delay = delayFor(limit, e);
            if (delay > maxDelay) {
                maxDelay = delay;
                excess = e;
                deciding = i;
            }
        }
        return maxDelay == 0 ? Verdict.PASSED : new Verdict(Kind.DELAYED, excess, maxDelay, deciding);
    }

    /** Milliseconds the rate takes to drain what is beyond the limit's delay threshold. */
    private static long delayFor(Limit limit, long excess) {
        return excess <= limit.delay() ? 0 : (excess - limit.delay()) * 1000 / limit.zone().rate();
    }
}
