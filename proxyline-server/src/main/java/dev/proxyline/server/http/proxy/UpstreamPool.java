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
 */
public final class UpstreamPool {
    /** What makes two upstream connections interchangeable. */
    public record Key(InetSocketAddress peer, Optional<ProxyHeader> header) {
        public Key {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(header, "header");
        }

        // Identity first: a peer's address is one object, and comparing InetSocketAddresses by value
        // (host names, addresses) showed in the request path's profile.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && (peer == k.peer || peer.equals(k.peer))
                    && (header == k.header || header.equals(k.header));
        }

        @Override
        public int hashCode() {
            return peer.hashCode() * 31 + header.hashCode();
        }
    }

    private record Idle(Key key, Channel channel) {
    }

    private final int capacity;
    private final ConcurrentMap<EventExecutor, ArrayDeque<Idle>> loops = new ConcurrentHashMap<>();

    /** @param capacity {@code keepalive N}; 0 keeps nothing */
    public UpstreamPool(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
    }

    /** Whether connections are kept at all; without it the upstream gets {@code Connection: close}. */
    public boolean enabled() {
        return capacity > 0;
    }

    /** An idle open connection for {@code key} on {@code loop}, taken out of the pool. Call on {@code loop}. */
    public Optional<Channel> take(EventExecutor loop, Key key) {
        ArrayDeque<Idle> idle = loops.get(loop);
        if (idle == null || idle.isEmpty()) return Optional.empty();
        // Mostly the most recent connection fits: taken without an iterator.
        Idle last = idle.peekLast();
        if (last.key().equals(key) && last.channel().isActive()) {
            idle.pollLast();
            return Optional.of(last.channel());
        }
        for (Iterator<Idle> it = idle.descendingIterator(); it.hasNext(); ) {
            Idle i = it.next();
            if (i.key().equals(key)) {
                it.remove();
                if (i.channel().isActive()) return Optional.of(i.channel());
            }
        }
        return Optional.empty();
    }

    /**
     * Keeps {@code channel} for later, closing the oldest idle connection of its loop if the pool is
     * full; closes {@code channel} itself when the pool keeps nothing. Call on the channel's loop.
     */
    public void offer(Channel channel, Key key) {
        if (capacity == 0) {
            channel.close();
            return;
        }
        ArrayDeque<Idle> idle = loops.computeIfAbsent(channel.eventLoop(), l -> new ArrayDeque<>());
        if (idle.size() >= capacity) idle.pollFirst().channel().close();
        idle.addLast(new Idle(key, channel));
    }

    /** Forgets {@code channel} (it was closed by the upstream while idle). Call on its loop. */
    public void remove(Channel channel) {
        ArrayDeque<Idle> idle = loops.get(channel.eventLoop());
        if (idle != null) idle.removeIf(i -> i.channel() == channel);
    }

    /** Idle connections on {@code loop} right now. Call on {@code loop}. */
    public int idle(EventExecutor loop) {
        ArrayDeque<Idle> idle = loops.get(loop);
        return idle == null ? 0 : idle.size();
    }
}
