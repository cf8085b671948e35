package dev.proxyline.server.upstream;

import java.util.BitSet;

/**
 * What one attempt sequence remembers between picks, like nginx's per-request peer data: the tier it
 * is in, which peers of that tier it has tried, and the progress of hashing or random probing so a
 * retry continues where the previous pick stopped instead of starting over.
 *
 * <p>The balancers' view of an {@link AttemptSequence}: the sequence is this state plus its
 * bookkeeping, one object per request. Read and written only under the group lock.
 */
abstract sealed class SequenceState permits AttemptSequence {
    final String key;
    Tier tier;
    /** The tried peers of the tier with an index below 64: a request's tried set needs no object. */
    private long tried;
    /** The tried peers from index 64 on, made for the first such peer. */
    private BitSet triedBeyond;

    /** Probes spent by hash or random before they give up and fall back to round-robin (nginx: 20). */
    int probes;
    /** Plain hash: the running sum of 15-bit hashes, and how many rehashes were done. */
    long hashSum;
    int rehash;
    /** Consistent hash: the ring position to look at next, or -1 before the first lookup. */
    int ringPosition = -1;

    SequenceState(String key, Tier tier) {
        this.key = key;
        this.tier = tier;
    }

    boolean wasTried(Peer peer) {
        int index = peer.index();
        if (index < Long.SIZE) {
            return (tried & 1L << index) != 0;
        }
        return triedBeyond != null && triedBeyond.get(index);
    }

    /** Records a peer of the current tier as tried. */
    void markTried(Peer peer) {
        int index = peer.index();
        if (index < Long.SIZE) {
            tried |= 1L << index;
            return;
        }
        if (triedBeyond == null) {
            triedBeyond = new BitSet();
        }
        triedBeyond.set(index);
    }

    /** Moves to the backup tier with a fresh tried set; the backup peers have indexes of their own. */
    void enter(Tier next) {
        tier = next;
        tried = 0;
        if (triedBeyond != null) {
            triedBeyond.clear();
        }
    }
}
