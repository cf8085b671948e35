package dev.proxyline.server.app;

import dev.proxyline.server.http.Drain;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accepted connections that are still open, on channels or raw descriptors, so that a drain knows when
 * the last session has finished, which ones to tell that it began and which ones to close at the deadline.
 * Updated from every event loop.
 */
final class LiveSessions {
    /** A session without a channel (a raw stream session), as the drain sees it. */
    interface Detached {
        /** Closes the session now, from any thread; it is {@link #remove}d once it has ended. */
        void cut();
    }

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final Set<Detached> detached = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean draining;

    // One listener for every session: a lambda per session would be one more object per connection.
    private final ChannelFutureListener closed = f -> {
        open.remove(f.channel());
        completeIfIdle();
    };

    /** Tracks {@code channel} until it closes. */
    void add(Channel channel) {
        open.add(channel);
        channel.closeFuture().addListener(closed);
    }

    /** Tracks a session without a channel until it is {@link #remove}d. */
    void add(Detached session) {
        detached.add(session);
    }

    /** A session without a channel ended. */
    void remove(Detached session) {
        detached.remove(session);
        completeIfIdle();
    }

    /** How many client connections are open. */
    int count() {
        return open.size() + detached.size();
    }

    /**
     * Tells every open channel session that the server drains ({@link Drain#REQUESTED}: an HTTP connection ends
     * once its request is answered, or at once when idle; a stream relay ignores it, so raw sessions, all stream
     * sessions, are not told), and from now on completes the returned future as soon as no session is open (at
     * once if none is). Listeners must be closed first, or new sessions keep it from completing.
     */
    CompletableFuture<Void> drain() {
        draining = true;
        for (Channel channel : open) {
            channel.pipeline().fireUserEventTriggered(Drain.REQUESTED);
        }
        completeIfIdle();
        return idle;
    }

    /** Closes every session still open; returns how many there were. */
    int closeAll() {
        int n = 0;
        for (Channel channel : open) {
            channel.close();
            n++;
        }
        for (Detached session : detached) {
            session.cut();
            n++;
        }
        return n;
    }

    private void completeIfIdle() {
        if (draining && open.isEmpty() && detached.isEmpty()) {
            idle.complete(null);
        }
    }
}
