package dev.proxyline.server.http.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * An inactivity timeout on one event loop: expires when {@link #touch()} was not called for the armed
 * duration. Touching costs a field write, not a new timer, so it can be called for every buffer.
 */
final class Deadline {
    private final EventExecutor loop;
    private final LongSupplier nanos;
    private long timeoutNanos;
    private long last;
    // Returns false to wait a whole timeout more: the side is paused on purpose, or its peer progressed.
    private BooleanSupplier onExpiry;
    private ScheduledFuture<?> task;
    private long taskDue; // when task runs, on the nanos clock
    private final Runnable check = this::check;

    Deadline(EventExecutor loop, LongSupplier nanos) {
        this.loop = loop;
        this.nanos = nanos;
    }

    void arm(Duration timeout, BooleanSupplier expired) {
        arm(timeout, expired, nanos.getAsLong());
    }

    /** {@link #arm(Duration, BooleanSupplier)} with the clock already read by the caller ({@code nowNanos}). */
    void arm(Duration timeout, BooleanSupplier expired, long nowNanos) {
        timeoutNanos = Math.max(1, timeout.toNanos());
        last = nowNanos;
        onExpiry = expired;
        // A timer left by suspend() that fires no later than the new deadline is kept: when it fires it
        // waits out the rest. Re-arming a keep-alive connection per request then schedules nothing.
        if (task != null && taskDue - (last + timeoutNanos) <= 0) return;
        cancelTask();
        schedule(timeoutNanos);
    }

    void touch() {
        last = nanos.getAsLong();
    }

    /** {@link #touch()} with the clock already read by the caller: a clock read costs more than the write. */
    void touch(long nowNanos) {
        last = nowNanos;
    }

    /** Stops the deadline and its timer. */
    void disarm() {
        onExpiry = null;
        cancelTask();
    }

    /**
     * Stops the deadline but leaves its timer to run out harmlessly, for a deadline that is armed again
     * soon (once per request); {@link #disarm()} when it will not be.
     */
    void suspend() {
        onExpiry = null;
    }

    private void cancelTask() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long delay) {
        taskDue = nanos.getAsLong() + delay;
        task = loop.schedule(check, delay, TimeUnit.NANOSECONDS);
    }

    private void check() {
        task = null;
        if (onExpiry == null) return;
        long idle = nanos.getAsLong() - last;
        if (idle < timeoutNanos) {
            schedule(timeoutNanos - idle);
            return;
        }
        BooleanSupplier expired = onExpiry;
        if (!expired.getAsBoolean()) {
            last = nanos.getAsLong();
            if (onExpiry == expired) schedule(timeoutNanos);
        } else if (onExpiry == expired) {
            onExpiry = null;
        }
    }
}
