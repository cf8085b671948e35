package dev.proxyline.server.app;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The accepted client channels that are still open, so that a drain knows when the last session has
 * finished and which ones to close at the deadline. Updated from every event loop.
 */
final class LiveSessions {
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean draining;

    /** Tracks {@code channel} until it closes. */
    void add(Channel channel) {
        open.add(channel);
        channel.closeFuture().addListener(f -> {
            open.remove(channel);
            completeIfIdle();
        });
    }

    /** How many client connections are open. */
    int count() {
        return open.size();
    }

    /**
     * From now on, completes the returned future as soon as no session is open (at once if none is).
     * Listeners must be closed first, or new sessions keep it from completing.
     */
    CompletableFuture<Void> drain() {
        draining = true;
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
