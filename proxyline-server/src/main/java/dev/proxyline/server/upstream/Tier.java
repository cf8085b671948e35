package dev.proxyline.server.upstream;

import java.util.List;

/**
 * The primary or the backup servers of a group. Balancing happens inside one tier; a sequence moves
 * to the backup tier only when the primary one has nothing usable left, as nginx does.
 */
final class Tier {
    final List<Peer> peers;
    /** Sum of all weights, down servers included, so that hashing does not move when one goes down. */
    final long totalWeight;
    /** Servers not marked down: nginx's per-tier contribution to the default number of tries. */
    final int liveCount;
    /** True for the primary tier of a one-server group without backups: failures are not counted. */
    final boolean ignoreFailures;

    Tier(List<Peer> peers, boolean ignoreFailures) {
        this.peers = List.copyOf(peers);
        long total = 0;
        int live = 0;
        for (Peer peer : this.peers) {
            total += peer.weight();
            live += peer.spec().down() ? 0 : 1;
        }
        this.totalWeight = total;
        this.liveCount = live;
        this.ignoreFailures = ignoreFailures;
    }

    int size() {
        return peers.size();
    }

    Peer get(int index) {
        return peers.get(index);
    }

    /** nginx's "all peers failed, mark them as live for quick recovery". */
    void forgetFailures() {
        for (Peer peer : peers) {
            peer.fails = 0;
        }
    }
}
