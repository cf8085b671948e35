package dev.proxyline.server.upstream;

import java.util.random.RandomGenerator;

/**
 * {@code random} and {@code random two}. A draw picks a peer with probability proportional to its
 * weight (down peers keep their slot and are redrawn). Plain random takes the first untried, usable
 * draw; {@code two} takes two different such draws and keeps the one with fewer connections relative
 * to weight (the second on a tie), the "power of two choices" that avoids herding onto the single
 * least loaded server when several balancers share it. After {@value Balancer#MAX_PROBES} fruitless
 * draws, or with fewer than two peers, the choice falls back to round-robin, as in nginx.
 *
 * <p>The generator is injected so tests are reproducible; it is only used under the group lock, so it
 * need not be thread-safe.
 */
final class RandomBalancer implements Balancer {
    private final Tier primary;
    private final boolean two;
    private final RandomGenerator random;
    private final RoundRobinBalancer fallback;
    /** {@code starts[i]} is the first weight slot of peer {@code i}. */
    private final long[] starts;

    RandomBalancer(Tier primary, boolean two, RandomGenerator random, RoundRobinBalancer fallback) {
        this.primary = primary;
        this.two = two;
        this.random = random;
        this.fallback = fallback;
        this.starts = new long[primary.size()];
        long start = 0;
        for (int i = 0; i < starts.length; i++) {
            starts[i] = start;
            start += primary.get(i).weight();
        }
    }

    @Override
    public Peer choose(SequenceState sequence, long nowNanos) {
        if (sequence.probes > MAX_PROBES || primary.size() < 2) {
            return fallback.choose(sequence, nowNanos);
        }
        Peer first = null;
        while (true) {
            Peer peer = draw();
            if (peer != first && !sequence.wasTried(peer) && peer.isUsable(nowNanos, primary.ignoreFailures)) {
                if (!two) {
                    return peer;
                }
                if (first != null) {
                    return LeastConnBalancer.compareLoad(peer, first) > 0 ? first : peer;
                }
                first = peer;
            }
            if (++sequence.probes > MAX_PROBES) {
                return fallback.choose(sequence, nowNanos);
            }
        }
    }

    private Peer draw() {
        long slot = random.nextLong(primary.totalWeight);
        int low = 0;
        int high = starts.length - 1;
        // The last peer whose first slot is at or before the drawn slot.
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (starts[mid] <= slot) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return primary.get(low);
    }
}
