package dev.proxyline.server.upstream;

/**
 * {@code least_conn}: the usable peer with the fewest active connections relative to its weight
 * ({@code conns / weight}, compared by cross-multiplying to stay in integers). When several peers
 * share the lowest ratio, smooth weighted round-robin among just those breaks the tie, as in nginx,
 * so equal peers still take turns instead of the first one always winning.
 */
final class LeastConnBalancer extends TierChooser implements Balancer {

    LeastConnBalancer(Tier backup) {
        super(backup);
    }

    @Override
    public Peer choose(SequenceState sequence, long nowNanos) {
        return chooseAcrossTiers(sequence, nowNanos);
    }

    @Override
    Peer chooseIn(Tier tier, SequenceState sequence, long nowNanos) {
        Peer best = null;
        boolean tie = false;
        for (int i = 0; i < tier.size(); i++) {
            Peer peer = tier.get(i);
            if (sequence.wasTried(peer) || !peer.isUsable(nowNanos, tier.ignoreFailures)) {
                continue;
            }
            int order = best == null ? -1 : compareLoad(peer, best);
            if (order < 0) {
                best = peer;
                tie = false;
            } else if (order == 0) {
                tie = true;
            }
        }
        if (best == null || !tie) {
            return best;
        }
        return SmoothWeighted.chooseAmongEquallyLoaded(tier.peers, sequence, nowNanos, tier.ignoreFailures, best);
    }

    /** Compares {@code a.conns / a.weight} with {@code b.conns / b.weight}. */
    static int compareLoad(Peer a, Peer b) {
        return Long.compare((long) a.conns * b.weight(), (long) b.conns * a.weight());
    }
}
