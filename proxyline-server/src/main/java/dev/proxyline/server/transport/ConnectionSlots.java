package dev.proxyline.server.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections one worker may hold at once: nginx's {@code worker_connections}. A connection
 * takes a slot when it is accepted and gives it back when it closes.
 */
public final class ConnectionSlots {

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    /** @param limit at least 1 */
    public ConnectionSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("worker_connections: " + limit + " (expected at least 1)");
        }
        this.limit = limit;
    }

    /** Takes a slot; false, taking nothing, if all {@link #limit()} are in use. */
    public boolean tryAcquire() {
        // Touched by the worker's own thread almost always, so the loop practically never retries.
        while (true) {
            int now = open.get();
            if (now >= limit) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire()}. */
    public void release() {
        if (open.getAndDecrement() <= 0) {
            open.incrementAndGet();
            throw new IllegalStateException("more connection slots released than taken");
        }
    }

    /** Slots in use. */
    public int open() {
        return open.get();
    }

    /** The most slots that can be in use. */
    public int limit() {
        return limit;
    }
}
