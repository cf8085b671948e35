package dev.proxyline.server.upstream;

import java.util.List;

/**
 * One round of smooth weighted round-robin (nginx's algorithm): every eligible peer adds its
 * effective weight to its current weight, the peer with the largest current weight wins (the first
 * one on ties), and the winner gives back the sum of the effective weights added this round. Weights
 * 5, 1, 1 yield {@code a a b a c a a}: the heavy peer is spread out instead of sent in bursts.
 *
 * <p>A peer whose effective weight was cut by failures earns one unit back each round it takes part
 * in, so it returns to its full share gradually rather than at once.
 */
final class SmoothWeighted {
    private SmoothWeighted() {
    }

    /**
     * The winner among the peers of {@code peers} that {@code sequence} has not tried and that are usable
     * now, or null if none is. The test is made here rather than by a predicate of the caller's, which
     * would be an object per pick.
     */
    static Peer choose(List<Peer> peers, SequenceState sequence, long nowNanos, boolean ignoreFailures) {
        return choose(peers, sequence, nowNanos, ignoreFailures, null);
    }

    /** {@link #choose(List, SequenceState, long, boolean)} among the peers as loaded as {@code sameLoadAs} only. */
    static Peer chooseAmongEquallyLoaded(List<Peer> peers, SequenceState sequence, long nowNanos, boolean ignoreFailures,
                                         Peer sameLoadAs) {
        return choose(peers, sequence, nowNanos, ignoreFailures, sameLoadAs);
    }

    private static Peer choose(List<Peer> peers, SequenceState sequence, long nowNanos, boolean ignoreFailures,
                               Peer sameLoadAs) {
        Peer best = null;
        long total = 0;
        for (int i = 0; i < peers.size(); i++) {
            Peer peer = peers.get(i);
            if (sequence.wasTried(peer) || !peer.isUsable(nowNanos, ignoreFailures)
                    || (sameLoadAs != null && LeastConnBalancer.compareLoad(peer, sameLoadAs) != 0)) {
                continue;
            }
            peer.currentWeight += peer.effectiveWeight;
            total += peer.effectiveWeight;
            if (peer.effectiveWeight < peer.weight()) {
                peer.effectiveWeight++;
            }
            if (best == null || peer.currentWeight > best.currentWeight) {
                best = peer;
            }
        }
        if (best != null) {
            best.currentWeight -= total;
        }
        return best;
    }
}
