package dev.proxyline.server.upstream;

/**
 * Chooses within one tier, and moves a sequence to the backup tier when the primary one has nothing
 * usable left: the part that round-robin and least_conn share.
 */
abstract class TierChooser {
    private final Tier backup;

    TierChooser(Tier backup) {
        this.backup = backup;
    }

    /** The choice within {@code tier}, or null if no peer there is untried and usable. */
    abstract Peer chooseIn(Tier tier, SequenceState sequence, long nowNanos);

    /**
     * Tries the sequence's current tier, then the backup tier. When both come up empty, nginx clears
     * the failure counts of the tiers it gave up on ("mark them as live for quick recovery"): this
     * request gets "no live upstreams", but the next one probes the servers again instead of failing
     * for a whole {@code fail_timeout}. We do the same.
     */
    final Peer chooseAcrossTiers(SequenceState sequence, long nowNanos) {
        Tier start = sequence.tier;
        Peer peer = chooseIn(start, sequence, nowNanos);
        if (peer != null) {
            return peer;
        }
        if (start != backup && backup.size() > 0) {
            sequence.enter(backup);
            peer = chooseIn(backup, sequence, nowNanos);
            if (peer != null) {
                return peer;
            }
            backup.forgetFailures();
        }
        start.forgetFailures();
        return null;
    }
}
