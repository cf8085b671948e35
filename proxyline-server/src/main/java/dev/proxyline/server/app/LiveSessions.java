package dev.proxyline.server.app;

import dev.proxyline.server.http.Drain;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accepted client channels that are still open, so that a drain knows when the last session has
 * finished, which ones to tell that it began and which ones to close at the deadline. Updated from every
 * event loop.
 */
final class LiveSessions {
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
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

    /** How many client connections are open. */
    int count() {
        return open.size();
    }

    /**
     * Tells every open session that the server drains ({@link Drain#REQUESTED}: an HTTP connection ends once
     * its request is answered, or at once when idle; a stream relay ignores it), and from now on completes
     * the returned future as soon as no session is open (at once if none is). Listeners must be closed
     * first, or new sessions keep it from completing.
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
        return n;
    }

    private void completeIfIdle() {
        if (draining && open.isEmpty()) {
            idle.complete(null);
        }
    }
}
