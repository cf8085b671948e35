package dev.proxyline.server.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The peers tried for one connection or request, and whether another may be tried: nginx's
 * {@code proxy_next_upstream} bookkeeping.
 *
 * <p>Use: {@link #next()} gives a peer; report its outcome with {@link #succeed()} (when the
 * connection or request ends normally, which also releases the connection count) or
 * {@link #fail(FailureKind, RequestState)}, which answers whether to call {@code next()} again.
 *
 * <ul>
 *   <li>A sequence never returns the same peer twice. Its attempts are limited to the group's
 *       {@link UpstreamGroup#maxTries()} (so with {@code tries} 0, "unlimited", every server is tried
 *       once) and, if set, to {@code proxy_next_upstream_tries}.</li>
 *   <li>The timeout runs from {@link UpstreamGroup#begin} and is checked when an attempt fails, as in
 *       nginx: an attempt already started is not cut short.</li>
 *   <li>When no peer can be chosen the sequence ends with {@link StopReason#NO_LIVE_UPSTREAMS}, and
 *       {@link #upstreamAddr()} ends with the group name, as nginx logs it.</li>
 * </ul>
 *
 * <p>Not thread-safe: a sequence belongs to one connection, on one event loop.
 */
public final class AttemptSequence extends SequenceState {
    private final UpstreamGroup group;
    private final NextUpstreamPolicy policy;
    private final long startNanos;
    private final int triesLimit;
    /*
     * The latest attempt in fields and the ones before it in a list made by the first retry: a request
     * served by its first peer, nearly every one, costs this object and nothing else.
     */
    private Peer last;
    private FailureKind lastFailure;
    private List<TriedPeer> earlier = List.of();

    private Peer current;
    private boolean succeeded;
    private Stop stop;
    private boolean noLiveUpstreams;

    /** @param startNanos when the sequence began; read only if the policy has a timeout */
    AttemptSequence(UpstreamGroup group, String key, NextUpstreamPolicy policy, long startNanos) {
        super(key, group.primaryTier());
        this.group = group;
        this.policy = policy;
        this.startNanos = startNanos;
        int limit = group.maxTries();
        this.triesLimit = policy.tries() > 0 ? Math.min(policy.tries(), limit) : limit;
    }

    /**
     * The next peer to try, or the end of the sequence.
     *
     * @throws IllegalStateException if the previous attempt has not been reported, or one succeeded
     */
    public Selection next() {
        if (current != null) {
            throw new IllegalStateException("attempt with " + current + " of upstream \"" + group.name()
                    + "\" is still open (expected succeed() or fail() first)");
        }
        if (succeeded) {
            throw new IllegalStateException("upstream \"" + group.name() + "\" already succeeded with " + last);
        }
        if (stop != null) {
            return stop;
        }
        if (triedCount() >= triesLimit) {
            return stop(StopReason.TRIES_EXHAUSTED, "all " + triesLimit + " tries used");
        }
        Peer peer = group.choose(this);
        if (peer == null) {
            noLiveUpstreams = true;
            return stop(StopReason.NO_LIVE_UPSTREAMS, "no live upstreams in \"" + group.name() + "\"");
        }
        if (last != null) {
            if (earlier.isEmpty()) {
                earlier = new ArrayList<>(2);
            }
            earlier.add(triedPeer(last, lastFailure));
        }
        current = peer;
        last = peer;
        lastFailure = null;
        return peer.chosen();
    }

    /** Reports that the current attempt ended without failure and ends the sequence. */
    public void succeed() {
        Peer peer = requireCurrent("succeed");
        current = null;
        succeeded = true;
        group.release(peer, false);
    }

    /** {@link #fail(FailureKind, RequestState)} for a request that was not sent yet. */
    public Verdict fail(FailureKind kind) {
        return fail(kind, RequestState.NOT_SENT);
    }

    /**
     * Reports that the current attempt failed, accounts the failure against the peer as nginx does
     * (see {@link FailureKind}), and decides whether the request may go to another peer.
     */
    public Verdict fail(FailureKind kind, RequestState request) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(request, "request");
        Peer peer = requireCurrent("fail");
        current = null;
        lastFailure = kind;
        group.release(peer, kind.countsAgainstPeer(policy));

        String what = kind.directiveName() + " from " + peer;
        if (!policy.conditions().contains(kind)) {
            return stop(StopReason.NOT_A_RETRY_CONDITION, what + " is not a proxy_next_upstream condition");
        }
        if (request == RequestState.SENT_NOT_REPLAYABLE
                || (request == RequestState.SENT_NON_IDEMPOTENT && !policy.nonIdempotent())) {
            return stop(StopReason.NOT_REPLAYABLE, what + " after the request was sent, which cannot be repeated");
        }
        if (triedCount() >= triesLimit) {
            return stop(StopReason.TRIES_EXHAUSTED, what + " and all " + triesLimit + " tries used");
        }
        if (!policy.timeout().isZero() && group.now() - startNanos >= policy.timeout().toNanos()) {
            return stop(StopReason.TIMEOUT_EXCEEDED, what + " after proxy_next_upstream_timeout "
                    + policy.timeout() + " passed");
        }
        return new Verdict.Retry();
    }

    /** The attempts so far, in order. */
    public List<TriedPeer> tried() {
        if (last == null) {
            return List.of();
        }
        List<TriedPeer> all = new ArrayList<>(earlier);
        all.add(triedPeer(last, lastFailure));
        return List.copyOf(all);
    }

    /**
     * {@code $upstream_addr}: the tried peers joined by {@code ", "}, followed by the group name if the
     * sequence ran out of live peers; empty if nothing was tried.
     */
    public String upstreamAddr() {
        StringBuilder text = new StringBuilder();
        for (TriedPeer peer : tried()) {
            text.append(text.length() == 0 ? "" : ", ").append(peer.name());
        }
        if (noLiveUpstreams) {
            text.append(text.length() == 0 ? "" : ", ").append(group.name());
        }
        return text.toString();
    }

    /** Whether a peer was chosen and its outcome is not reported yet. */
    public boolean attemptOpen() {
        return current != null;
    }

    /** How the sequence ended without success, if it did. */
    public Optional<Stop> stopped() {
        return Optional.ofNullable(stop);
    }

    private int triedCount() {
        return earlier.size() + (last == null ? 0 : 1);
    }

    private static TriedPeer triedPeer(Peer peer, FailureKind failure) {
        return new TriedPeer(peer.name(), peer.address(), Optional.ofNullable(failure));
    }

    private Peer requireCurrent(String operation) {
        if (current == null) {
            throw new IllegalStateException(operation + "() without an open attempt in upstream \""
                    + group.name() + "\" (expected next() to have chosen a peer)");
        }
        return current;
    }

    private Stop stop(StopReason reason, String message) {
        stop = new Stop(reason, "upstream \"" + group.name() + "\": " + message);
        return stop;
    }
}
