package dev.proxyline.server.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code hash KEY consistent}: the key's CRC-32 is looked up on a {@link HashRing} and the first
 * point at or after it names a server. If that server's peers are all tried or unusable, the walk
 * moves on to the following points, so only the keys of an unavailable server go elsewhere and they
 * come back when it recovers. After {@value Balancer#MAX_PROBES} points without a usable peer, with
 * fewer than two peers, or with an empty key, the choice falls back to round-robin, as in nginx.
 */
final class ConsistentHashBalancer implements Balancer {
    private final Tier primary;
    private final HashRing ring;
    private final RoundRobinBalancer fallback;
    /** Indexed by {@link Peer#serverId()}: the peers of each server text, in the tier's order. */
    private final List<List<Peer>> peersOfServer;

    ConsistentHashBalancer(Tier primary, HashRing ring, RoundRobinBalancer fallback) {
        this.primary = primary;
        this.ring = ring;
        this.fallback = fallback;
        List<List<Peer>> byServer = new ArrayList<>();
        for (Peer peer : primary.peers) {
            while (byServer.size() <= peer.serverId()) {
                byServer.add(new ArrayList<>());
            }
            byServer.get(peer.serverId()).add(peer);
        }
        this.peersOfServer = byServer.stream().map(List::copyOf).toList();
    }

    @Override
    public Peer choose(SequenceState sequence, long nowNanos) {
        if (sequence.probes > MAX_PROBES || primary.size() < 2 || sequence.key.isEmpty()) {
            return fallback.choose(sequence, nowNanos);
        }
        if (sequence.ringPosition < 0) {
            sequence.ringPosition = ring.firstAtOrAfter(KeyHash.crc32(sequence.key));
        }
        while (true) {
            int serverId = ring.serverAt(sequence.ringPosition);
            // Several peers may share one server text (a name that resolved to several addresses);
            // they split that server's keys by smooth weighted round-robin, as in nginx.
            Peer peer = SmoothWeighted.choose(peersOfServer.get(serverId), sequence, nowNanos, primary.ignoreFailures);
            if (peer != null) {
                return peer;
            }
            sequence.ringPosition++;
            if (++sequence.probes > MAX_PROBES) {
                return fallback.choose(sequence, nowNanos);
            }
        }
    }
}
