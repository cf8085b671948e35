package dev.proxyline.server.http.proxy;

import dev.proxyline.protocol.ProxyHeader;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code keepalive N} of an http upstream: up to N idle upstream connections kept per event loop (nginx
 * keeps them per worker), the most recently used taken first, the oldest closed when a new one does
 * not fit. A connection is keyed by its peer and by the PROXY header it was opened with, so a request
 * only reuses a connection that announced the same client. Each event loop's connections are touched
 * only on that loop, as the channels are.
 *
 * <p>A connection is held as its {@link UpstreamHandler}, which knows its channel and key: taking one
 * back and offering it again makes no object and does not search the channel's pipeline.
 */
public final class UpstreamPool {
    /** What makes two upstream connections interchangeable. */
    record Key(InetSocketAddress peer, Optional<ProxyHeader> header) {
        public Key {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(header, "header");
        }

        /** Whether a connection with this key may carry a request for {@code otherPeer} with {@code otherHeader}. */
        boolean matches(InetSocketAddress otherPeer, Optional<ProxyHeader> otherHeader) {
            // Identity first: a peer's address is one object, and comparing InetSocketAddresses by value
            // (host names, addresses) showed in the request path's profile.
            return (peer == otherPeer || peer.equals(otherPeer))
                    && (header == otherHeader || header.equals(otherHeader));
        }
    }

    private final int capacity;
    private final ConcurrentMap<EventExecutor, ArrayDeque<UpstreamHandler>> loops = new ConcurrentHashMap<>();

    /** @param capacity {@code keepalive N}; 0 keeps nothing */
    public UpstreamPool(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
    }

    /** Whether connections are kept at all; without it the upstream gets {@code Connection: close}. */
    public boolean enabled() {
        return capacity > 0;
    }

    /**
     * An idle open connection on {@code loop} to {@code peer} that sent {@code header}, taken out of the pool.
     * Call on {@code loop}.
     */
    Optional<UpstreamHandler> take(EventExecutor loop, InetSocketAddress peer, Optional<ProxyHeader> header) {
        ArrayDeque<UpstreamHandler> idle = loops.get(loop);
        if (idle == null || idle.isEmpty()) return Optional.empty();
        // Mostly the most recent connection fits: taken without an iterator.
        UpstreamHandler last = idle.peekLast();
        if (last.key().matches(peer, header) && last.channel().isActive()) {
            idle.pollLast();
            return Optional.of(last);
        }
        for (Iterator<UpstreamHandler> it = idle.descendingIterator(); it.hasNext(); ) {
            UpstreamHandler i = it.next();
            if (i.key().matches(peer, header)) {
                it.remove();
                if (i.channel().isActive()) return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps {@code connection} for later, closing the oldest idle connection of its loop if the pool is
     * full; closes {@code connection} itself when the pool keeps nothing. Call on the connection's loop.
     */
    void offer(UpstreamHandler connection) {
        Channel channel = connection.channel();
        if (capacity == 0) {
            channel.close();
            return;
        }
        ArrayDeque<UpstreamHandler> idle = loops.computeIfAbsent(channel.eventLoop(), l -> new ArrayDeque<>());
        if (idle.size() >= capacity) idle.pollFirst().channel().close();
        idle.addLast(connection);
    }

    /** Forgets {@code connection} (it was closed by the upstream while idle). Call on its loop. */
    void remove(UpstreamHandler connection) {
        ArrayDeque<UpstreamHandler> idle = loops.get(connection.channel().eventLoop());
        if (idle != null) idle.removeIf(i -> i == connection);
    }

    /** Idle connections on {@code loop} right now. Call on {@code loop}. */
    public int idle(EventExecutor loop) {
        ArrayDeque<UpstreamHandler> idle = loops.get(loop);
        return idle == null ? 0 : idle.size();
    }
}
