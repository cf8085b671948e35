package dev.proxyline.server.upstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * An {@code upstream NAME { server ...; }} block at run time: its peers, their shared state and the
 * balancing method. Connections ask it for peers through {@link #begin attempt sequences}.
 *
 * <p><b>Threads.</b> Event loops of several threads share a group. All peer state sits behind one
 * lock per group, as nginx puts it behind one lock per upstream zone: a choice reads and updates
 * several peers at once (smooth weighting adjusts every candidate; least_conn compares all), which
 * per-peer atomics could not make consistent. The critical sections are a loop over the peers
 * without allocation or I/O, so contention stays low for groups of realistic size; nothing is ever
 * done under the lock that could block.
 *
 * <p><b>Time.</b> Every time decision uses the injected nanosecond clock (for example
 * {@code System::nanoTime}; tests advance a fake one).
 */
public final class UpstreamGroup {
    private final String name;
    private final BalancingMethod method;
    private final Tier primary;
    private final Tier backup;
    private final Balancer balancer;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();

    private UpstreamGroup(String name, BalancingMethod method, Tier primary, Tier backup,
                          LongSupplier nanoClock, RandomGenerator random) {
        this.name = name;
        this.method = method;
        this.primary = primary;
        this.backup = backup;
        this.nanoClock = nanoClock;
        this.balancer = Balancer.create(method, primary, backup, random);
    }

    /**
     * Builds a group, checking it as nginx would.
     *
     * @param name      the upstream name, shown as {@code $upstream_addr} when no server is live
     * @param servers   the {@code server} lines in configuration order
     * @param method    the balancing method
     * @param nanoClock monotonic nanoseconds
     * @param random    the generator for {@code random}; used only under the group lock
     * @throws InvalidUpstreamException listing every problem: no primary server, or {@code backup}
     *                                  with a method that does not support it
     */
    public static UpstreamGroup create(String name, List<PeerSpec> servers, BalancingMethod method,
                                       LongSupplier nanoClock, RandomGenerator random) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(random, "random");
        List<String> problems = new ArrayList<>();
        if (name.isBlank()) {
            problems.add("upstream name is blank");
        }
        List<PeerSpec> primarySpecs = new ArrayList<>();
        List<PeerSpec> backupSpecs = new ArrayList<>();
        for (PeerSpec spec : servers) {
            Objects.requireNonNull(spec, "server");
            if (spec.backup() && !method.supportsBackup()) {
                problems.add("server \"" + spec.server() + "\": balancing method \"" + method.directive()
                        + "\" does not support parameter \"backup\"");
            }
            (spec.backup() ? backupSpecs : primarySpecs).add(spec);
        }
        if (primarySpecs.isEmpty()) {
            problems.add("no servers in upstream (expected at least one server without \"backup\")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidUpstreamException(name, problems);
        }
        long now = nanoClock.getAsLong();
        boolean single = primarySpecs.size() == 1 && backupSpecs.isEmpty();
        Tier primary = new Tier(peers(primarySpecs, now), single);
        Tier backup = new Tier(peers(backupSpecs, now), false);
        return new UpstreamGroup(name, method, primary, backup, nanoClock, random);
    }

    private static List<Peer> peers(List<PeerSpec> specs, long now) {
        Map<String, Integer> serverIds = new HashMap<>();
        List<Peer> peers = new ArrayList<>(specs.size());
        for (PeerSpec spec : specs) {
            int serverId = serverIds.computeIfAbsent(spec.server(), server -> serverIds.size());
            peers.add(new Peer(spec, peers.size(), serverId, now));
        }
        return peers;
    }

    /** The upstream name. */
    public String name() {
        return name;
    }

    /** The balancing method. */
    public BalancingMethod method() {
        return method;
    }

    /** Every peer: primary ones in configuration order, then backup ones. */
    public List<Peer> peers() {
        List<Peer> all = new ArrayList<>(primary.peers);
        all.addAll(backup.peers);
        return List.copyOf(all);
    }

    /**
     * Starts choosing peers for one connection or request.
     *
     * @param hashKey the evaluated {@code hash} key (for example the client address); ignored by other
     *                methods; empty makes {@code hash} fall back to round-robin, as in nginx
     * @param policy  when to pass a failure on to the next peer
     */
    public AttemptSequence begin(String hashKey, NextUpstreamPolicy policy) {
        Objects.requireNonNull(hashKey, "hashKey");
        Objects.requireNonNull(policy, "policy");
        // The start matters only to a proxy_next_upstream_timeout, which most policies do not set.
        long start = policy.timeout().isZero() ? 0 : nanoClock.getAsLong();
        return new AttemptSequence(this, hashKey, policy, start);
    }

    /** {@link #begin(String, NextUpstreamPolicy)} without a hash key. */
    public AttemptSequence begin(NextUpstreamPolicy policy) {
        return begin("", policy);
    }

    /**
     * The most attempts a sequence makes: the servers not marked down, backups included, as nginx
     * counts them; at least one, so that an all-down group still reports "no live upstreams".
     */
    public int maxTries() {
        return Math.max(1, primary.liveCount + backup.liveCount);
    }

    /** A snapshot of every peer, in the order of {@link #peers()}. */
    public List<PeerStatus> status() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            List<PeerStatus> all = new ArrayList<>(primary.size() + backup.size());
            for (Peer peer : primary.peers) {
                all.add(peer.status(now, primary.ignoreFailures));
            }
            for (Peer peer : backup.peers) {
                all.add(peer.status(now, false));
            }
            return List.copyOf(all);
        } finally {
            lock.unlock();
        }
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** Where every sequence starts. */
    Tier primaryTier() {
        return primary;
    }

    /** Chooses and records a peer for {@code sequence}, or returns null if none is live. */
    Peer choose(SequenceState sequence) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            Peer peer = balancer.choose(sequence, now);
            if (peer != null) {
                peer.onChosen(now);
                // The balancer leaves the sequence in the peer's tier, so the index is the right one.
                sequence.markTried(peer);
            }
            return peer;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a connection chosen by {@link #choose}; {@code failed} counts toward {@code max_fails}. */
    void release(Peer peer, boolean failed) {
        lock.lock();
        try {
            boolean ignoreFailures = !peer.spec().backup() && primary.ignoreFailures;
            // Only a failure is dated: the end of a request that went well reads no clock.
            if (failed) {
                peer.onFailure(nanoClock.getAsLong(), ignoreFailures);
            } else {
                peer.onSuccess(ignoreFailures);
            }
        } finally {
            lock.unlock();
        }
    }
}
