package dev.proxyline.protocol.netty;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs refused connections, one line each and never with a stack trace: at most one line per
 * interval at INFO (saying how many were logged at DEBUG meanwhile), the others at DEBUG, so that a
 * misconfigured balancer or a scanner cannot flood the log. Shared by all connections of a listener.
 */
public final class RejectionLog {
    private final System.Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextInfoAt;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param logger    where lines go
     * @param interval  the least time between two INFO lines
     * @param nanoClock a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public RejectionLog(System.Logger logger, Duration interval, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextInfoAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** At most one INFO line every 10 s, to the logger of this package. */
    public static RejectionLog standard() {
        return new RejectionLog(System.getLogger(RejectionLog.class.getPackageName()), Duration.ofSeconds(10),
                System::nanoTime);
    }

    /** Logs one refusal; {@code message} names the peer and says what was wrong. */
    public void refused(String message) {
        if (takeLoudTurn()) {
            long skipped = suppressed.getAndSet(0);
            logger.log(Level.INFO, skipped == 0 ? message
                    : message + " (" + skipped + " more refused since the last such line, logged at DEBUG)");
        } else {
            suppressed.incrementAndGet();
            logger.log(Level.DEBUG, message);
        }
    }

    /**
     * Logs a problem of this side's that may repeat at connection rate, such as nginx's
     * "worker_connections are not enough": loud lines at ERROR, so they stay visible at nginx's default
     * {@code error_log} level; shares the rate limit of {@link #refused}.
     */
    public void alert(String message) {
        if (takeLoudTurn()) {
            long skipped = suppressed.getAndSet(0);
            logger.log(Level.ERROR, skipped == 0 ? message
                    : message + " (" + skipped + " more since the last such line, logged at DEBUG)");
        } else {
            suppressed.incrementAndGet();
            logger.log(Level.DEBUG, message);
        }
    }

    /**
     * Logs a fault on this side that closed a connection, with its stack trace at WARNING since it
     * needs fixing; as a peer's bytes may trigger it, it shares the rate limit (at DEBUG, no trace).
     */
    public void internalError(String message, Throwable cause) {
        if (takeLoudTurn()) {
            logger.log(Level.WARNING, message, cause);
        } else {
            suppressed.incrementAndGet();
            logger.log(Level.DEBUG, message + ": " + cause);
        }
    }

    /** True for the first caller once the interval has passed since the last loud line. */
    private boolean takeLoudTurn() {
        long now = nanoClock.getAsLong();
        long due = nextInfoAt.get();
        return now - due >= 0 && nextInfoAt.compareAndSet(due, now + intervalNanos);
    }
}
