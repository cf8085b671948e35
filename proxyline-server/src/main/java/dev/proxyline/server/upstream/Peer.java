package dev.proxyline.server.upstream;

import java.net.SocketAddress;

/**
 * One server of an {@link UpstreamGroup} at run time: its spec plus the state nginx keeps per peer
 * for smooth weighting, connection counting and passive health.
 *
 * <p>Every mutable field is guarded by the owning group's lock; only the group and its balancers touch
 * them. Callers see a peer through {@link #spec()}, {@link #name()}, {@link #address()} and, for
 * state, {@link UpstreamGroup#status()}.
 *
 * <p>Passive health follows nginx's per-peer bookkeeping with two timestamps: {@code checked} opens a
 * window whenever the peer is chosen more than {@code fail_timeout} after the previous window opened,
 * and {@code accessed} is the time of the last failure. A peer with {@code fails >= max_fails} is
 * unavailable until {@code fail_timeout} has passed since {@code checked}; a success (or a
 * non-failure outcome) clears {@code fails} only if a window opened after the last failure
 * ({@code accessed < checked}). The first pick after the timeout is therefore a probe: success clears
 * the count, failure closes the peer for another {@code fail_timeout}.
 */
public final class Peer {
    private final PeerSpec spec;
    private final String name;
    private final int index;
    private final int serverId;
    private final long failTimeoutNanos;
    /** The answer that names this peer, made once: a sequence hands it out on every pick. */
    private final Selection.Chosen chosen;

    // Guarded by the group lock.
    long currentWeight;
    int effectiveWeight;
    int conns;
    int fails;
    long accessedNanos;
    long checkedNanos;

    Peer(PeerSpec spec, int index, int serverId, long nowNanos) {
        this.spec = spec;
        this.name = PeerSpec.format(spec.address());
        this.index = index;
        this.serverId = serverId;
        this.failTimeoutNanos = spec.failTimeout().toNanos();
        this.chosen = new Selection.Chosen(this);
        this.effectiveWeight = spec.weight();
        this.accessedNanos = nowNanos;
        this.checkedNanos = nowNanos;
    }

    /** The configuration this peer was built from. */
    public PeerSpec spec() {
        return spec;
    }

    /** The address as {@code $upstream_addr} shows it: {@code 10.0.0.1:80}, {@code [::1]:80} or {@code unix:PATH}. */
    public String name() {
        return name;
    }

    /** The socket address to connect to: an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}. */
    public SocketAddress address() {
        return spec.address();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Position in its tier (primary or backup); indexes an attempt sequence's tried set. */
    int index() {
        return index;
    }

    Selection.Chosen chosen() {
        return chosen;
    }

    /** Identifies the server text this peer shares with others; consistent hashing maps keys to it. */
    int serverId() {
        return serverId;
    }

    int weight() {
        return spec.weight();
    }

    /**
     * Whether the peer may be chosen now. A group with a single server ignores failures entirely, as
     * nginx does: there is nothing better to switch to, so refusing it would only turn errors into
     * "no live upstreams".
     */
    boolean isUsable(long nowNanos, boolean ignoreFailures) {
        if (spec.down()) {
            return false;
        }
        if (ignoreFailures) {
            return true;
        }
        int maxFails = spec.maxFails();
        return maxFails == 0 || fails < maxFails || nowNanos - checkedNanos > failTimeoutNanos;
    }

    /** Records that a connection to the peer starts now. */
    void onChosen(long nowNanos) {
        conns++;
        if (nowNanos - checkedNanos > failTimeoutNanos) {
            checkedNanos = nowNanos;
        }
    }

    /**
     * Records the end of a connection that did not fail in a way counted toward {@code max_fails}: clears
     * the failure count if a new window opened since the last failure.
     */
    void onSuccess(boolean ignoreFailures) {
        conns--;
        if (!ignoreFailures && accessedNanos - checkedNanos < 0) {
            fails = 0;
        }
    }

    /**
     * Records the end of a connection with a failure counted toward {@code max_fails}; it also lowers the
     * effective weight by {@code weight / max_fails} (it creeps back by one per balancing round).
     */
    void onFailure(long nowNanos, boolean ignoreFailures) {
        conns--;
        if (ignoreFailures) {
            return;
        }
        fails++;
        accessedNanos = nowNanos;
        checkedNanos = nowNanos;
        int maxFails = spec.maxFails();
        if (maxFails > 0) {
            effectiveWeight -= spec.weight() / maxFails;
        }
        if (effectiveWeight < 0) {
            effectiveWeight = 0;
        }
    }

    PeerStatus status(long nowNanos, boolean ignoreFailures) {
        return new PeerStatus(name, spec.server(), spec.address(), spec.backup(), spec.down(), spec.weight(),
                effectiveWeight, currentWeight, conns, fails, isUsable(nowNanos, ignoreFailures));
    }
}
