package dev.proxyline.server.http.proxy;

import dev.proxyline.config.UpstreamKeepalive;
import dev.proxyline.protocol.ProxyHeader;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code keepalive N} of an http upstream: up to N idle upstream connections kept per event loop (nginx
 * keeps them per worker), the most recently used taken first, the oldest closed when a new one does
 * not fit. A connection is keyed by its peer, by the PROXY header it was opened with, so a request
 * only reuses a connection that announced the same client, and by its TLS setting, so plain and TLS
 * connections never mix (a TLS connection is reused with its session). Each event loop's connections are touched
 * only on that loop, as the channels are. As nginx, a connection is closed instead of kept once it has
 * carried {@code keepalive_requests} requests or is older than {@code keepalive_time}, and an idle one after
 * {@code keepalive_timeout}: one timer per loop, due when the oldest idle connection expires.
 *
 * <p>A connection is held as its {@link UpstreamHandler}, which knows its channel and key: taking one
 * back and offering it again makes no object and does not search the channel's pipeline.
 */
public final class UpstreamPool {
    /** What makes two upstream connections interchangeable; {@code tls} is empty for a plain connection. */
    record Key(SocketAddress peer, Optional<ProxyHeader> header, Optional<UpstreamTls> tls) {
        public Key {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(tls, "tls");
        }

        /**
         * Whether a connection with this key may carry a request for {@code otherPeer} with {@code otherHeader}, over
         * {@code otherTls}.
         */
        boolean matches(SocketAddress otherPeer, Optional<ProxyHeader> otherHeader, Optional<UpstreamTls> otherTls) {
            // Identity first: a peer's address is one object, and comparing socket addresses by value
            // (host names, addresses) showed in the request path's profile. Plain is the one empty Optional.
            return (peer == otherPeer || peer.equals(otherPeer))
                    && (header == otherHeader || header.equals(otherHeader))
                    && (tls == otherTls || tls.equals(otherTls));
        }
    }

    /** One loop's idle connections, oldest first, and the timer that closes them when they expire. */
    private static final class Idle {
        final ArrayDeque<UpstreamHandler> connections = new ArrayDeque<>();
        ScheduledFuture<?> expiry;
    }

    private final int capacity;
    private final int maxRequests;
    private final long maxAgeNanos;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<EventExecutor, Idle> loops = new ConcurrentHashMap<>();

    /** @param nanoClock monotonic nanoseconds, for the connections' age and idle time */
    public UpstreamPool(UpstreamKeepalive keepalive, LongSupplier nanoClock) {
        this.capacity = keepalive.connections();
        this.maxRequests = keepalive.requests();
        this.maxAgeNanos = keepalive.time().toNanos();
        this.idleTimeoutNanos = keepalive.timeout().toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Now, for a connection's opening time. */
    long now() {
        return nanoClock.getAsLong();
    }

    /** Whether connections are kept at all; without it the upstream gets {@code Connection: close}. */
    public boolean enabled() {
        return capacity > 0;
    }

    /**
     * An idle open connection on {@code loop} to {@code peer} that sent {@code header}, over {@code tls}, taken out
     * of the pool. Call on {@code loop}.
     */
    Optional<UpstreamHandler> take(EventExecutor loop, SocketAddress peer, Optional<ProxyHeader> header,
                                   Optional<UpstreamTls> tls) {
        Idle state = loops.get(loop);
        if (state == null || state.connections.isEmpty()) return Optional.empty();
        ArrayDeque<UpstreamHandler> idle = state.connections;
        // Mostly the most recent connection fits: taken without an iterator.
        UpstreamHandler last = idle.peekLast();
        if (last.key().matches(peer, header, tls) && last.channel().isActive()) {
            idle.pollLast();
            return Optional.of(last);
        }
        for (Iterator<UpstreamHandler> it = idle.descendingIterator(); it.hasNext(); ) {
            UpstreamHandler i = it.next();
            if (i.key().matches(peer, header, tls)) {
                it.remove();
                if (i.channel().isActive()) return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps {@code connection} for later, its request just done, closing the oldest idle connection of its loop if
     * the pool is full; closes {@code connection} itself when the pool keeps nothing or the connection has served
     * its requests or its time. Call on the connection's loop.
     */
    void offer(UpstreamHandler connection) {
        Channel channel = connection.channel();
        long now = nanoClock.getAsLong();
        if (capacity == 0 || connection.served() >= maxRequests || now - connection.openedNanos() >= maxAgeNanos) {
            channel.close();
            return;
        }
        Idle state = loops.computeIfAbsent(channel.eventLoop(), l -> new Idle());
        if (state.connections.size() >= capacity) state.connections.pollFirst().channel().close();
        connection.idleSince(now);
        state.connections.addLast(connection);
        if (state.expiry == null) {
            state.expiry = channel.eventLoop().schedule(() -> expire(state), idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connections idle for keepalive_timeout; comes back when the next one is due. */
    private void expire(Idle state) {
        long now = nanoClock.getAsLong();
        ArrayDeque<UpstreamHandler> idle = state.connections;
        while (!idle.isEmpty() && now - idle.peekFirst().idleSinceNanos() >= idleTimeoutNanos) {
            idle.pollFirst().channel().close();
        }
        state.expiry = idle.isEmpty() ? null : idle.peekFirst().channel().eventLoop().schedule(() -> expire(state),
                idle.peekFirst().idleSinceNanos() + idleTimeoutNanos - now, TimeUnit.NANOSECONDS);
    }

    /** Forgets {@code connection} (it was closed by the upstream while idle). Call on its loop. */
    void remove(UpstreamHandler connection) {
        Idle state = loops.get(connection.channel().eventLoop());
        if (state != null) state.connections.removeIf(i -> i == connection);
    }

    /** Idle connections on {@code loop} right now. Call on {@code loop}. */
    public int idle(EventExecutor loop) {
        Idle state = loops.get(loop);
        return state == null ? 0 : state.connections.size();
    }
}
