package dev.proxyline.server.upstream;

/** nginx's default method: smooth weighted round-robin ({@link SmoothWeighted}), then backups. */
final class RoundRobinBalancer extends TierChooser implements Balancer {

    RoundRobinBalancer(Tier backup) {
        super(backup);
    }

    @Override
    public Peer choose(SequenceState sequence, long nowNanos) {
        return chooseAcrossTiers(sequence, nowNanos);
    }

    @Override
    Peer chooseIn(Tier tier, SequenceState sequence, long nowNanos) {
        return SmoothWeighted.choose(tier.peers, sequence, nowNanos, tier.ignoreFailures);
    }
}
