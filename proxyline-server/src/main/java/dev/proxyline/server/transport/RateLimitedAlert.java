package dev.proxyline.server.transport;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An alert that may repeat at connection rate, such as nginx's "worker_connections are not
 * enough": at most one ERROR line per interval (saying how many were held back since the last), the
 * others at DEBUG, so that it stays visible at nginx's default {@code error_log} level without
 * flooding it.
 */
final class RateLimitedAlert {
    private final System.Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextLoudAt;
    private final AtomicLong heldBack = new AtomicLong();

    RateLimitedAlert(System.Logger logger, Duration interval, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextLoudAt = new AtomicLong(nanoClock.getAsLong());
    }

    void alert(String message) {
        long now = nanoClock.getAsLong();
        long due = nextLoudAt.get();
        if (now - due >= 0 && nextLoudAt.compareAndSet(due, now + intervalNanos)) {
            long skipped = heldBack.getAndSet(0);
            logger.log(Level.ERROR, skipped == 0 ? message
                    : message + " (" + skipped + " more since the last such line, logged at DEBUG)");
        } else {
            heldBack.incrementAndGet();
            logger.log(Level.DEBUG, message);
        }
    }
}
