package dev.proxyline.server.upstream;

import java.util.random.RandomGenerator;

/**
 * A balancing algorithm bound to one group's peers. Implementations hold no per-connection state
 * (that lives in {@link SequenceState}) and are only called under the group lock, so they read and
 * write peer state freely.
 */
sealed interface Balancer
        permits RoundRobinBalancer, LeastConnBalancer, HashBalancer, ConsistentHashBalancer, RandomBalancer {

    /**
     * Chooses the next peer for a sequence, skipping peers it already tried and unusable ones, or
     * returns null when none is left: the group then answers "no live upstreams". The caller records
     * the choice (connection count, tried set).
     */
    Peer choose(SequenceState sequence, long nowNanos);

    /** How many probes hash and random make before falling back to round-robin, as in nginx. */
    int MAX_PROBES = 20;

    /** The balancer for {@code method} over the given tiers ({@code backup} may be empty). */
    static Balancer create(BalancingMethod method, Tier primary, Tier backup,
                           RandomGenerator random) {
        RoundRobinBalancer roundRobin = new RoundRobinBalancer(backup);
        if (method instanceof BalancingMethod.RoundRobin) {
            return roundRobin;
        }
        if (method instanceof BalancingMethod.LeastConn) {
            return new LeastConnBalancer(backup);
        }
        if (method instanceof BalancingMethod.Hash hash) {
            return hash.consistent()
                    ? new ConsistentHashBalancer(primary, HashRing.build(primary), roundRobin)
                    : new HashBalancer(primary, roundRobin);
        }
        BalancingMethod.Random randomMethod = (BalancingMethod.Random) method;
        return new RandomBalancer(primary, randomMethod.two(), random, roundRobin);
    }
}
