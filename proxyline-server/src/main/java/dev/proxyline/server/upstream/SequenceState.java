package dev.proxyline.server.upstream;

import java.util.BitSet;

/**
 * What one attempt sequence remembers between picks, like nginx's per-request peer data: the tier it
 * is in, which peers of that tier it has tried, and the progress of hashing or random probing so a
 * retry continues where the previous pick stopped instead of starting over.
 *
 * <p>Read and written only under the group lock.
 */
final class SequenceState {
    final String key;
    Tier tier;
    final BitSet tried = new BitSet();

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
        return tried.get(peer.index());
    }

    /** Moves to the backup tier with a fresh tried set; the backup peers have indexes of their own. */
    void enter(Tier next) {
        tier = next;
        tried.clear();
    }
}
