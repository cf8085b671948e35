package dev.proxyline.server.upstream;

/**
 * Plain {@code hash KEY}: the running sum of {@link KeyHash#probe 15-bit key hashes} modulo the
 * total weight picks a slot, and slots are laid out peer after peer, each as wide as its weight. A
 * tried or unusable peer triggers a rehash (the next probe adds to the sum), so a given key always
 * walks the same sequence of peers. After {@value Balancer#MAX_PROBES} failed probes, with fewer
 * than two peers, or with an empty key, the choice falls back to round-robin, as in nginx.
 *
 * <p>Adding or removing a server remaps most keys; use {@code consistent} when that matters.
 */
final class HashBalancer implements Balancer {
    private final Tier primary;
    private final RoundRobinBalancer fallback;

    HashBalancer(Tier primary, RoundRobinBalancer fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public Peer choose(SequenceState sequence, long nowNanos) {
        if (sequence.probes > MAX_PROBES || primary.size() < 2 || sequence.key.isEmpty()) {
            return fallback.choose(sequence, nowNanos);
        }
        while (true) {
            sequence.hashSum += KeyHash.probe(sequence.key, sequence.rehash);
            sequence.rehash++;
            Peer peer = slotOwner(sequence.hashSum % primary.totalWeight);
            if (!sequence.wasTried(peer) && peer.isUsable(nowNanos, primary.ignoreFailures)) {
                return peer;
            }
            if (++sequence.probes > MAX_PROBES) {
                return fallback.choose(sequence, nowNanos);
            }
        }
    }

    private Peer slotOwner(long slot) {
        long remaining = slot;
        for (Peer peer : primary.peers) {
            if (remaining < peer.weight()) {
                return peer;
            }
            remaining -= peer.weight();
        }
        throw new IllegalStateException("slot " + slot + " beyond total weight " + primary.totalWeight);
    }
}
