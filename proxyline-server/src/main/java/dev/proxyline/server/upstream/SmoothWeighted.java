package dev.proxyline.server.upstream;

import java.util.function.Predicate;

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

    /** The winner among the peers of {@code tier} that {@code eligible} accepts, or null if none is. */
    static Peer choose(Tier tier, Predicate<Peer> eligible) {
        Peer best = null;
        long total = 0;
        for (Peer peer : tier.peers) {
            if (!eligible.test(peer)) {
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
