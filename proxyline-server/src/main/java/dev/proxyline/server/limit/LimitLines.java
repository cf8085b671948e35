package dev.proxyline.server.limit;

import dev.proxyline.config.ErrorLog;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The error-log lines of the limit modules, at the level their {@code *_log_level} sets. As every peer-caused line
 * here, at most one every 10 s is written at that level (saying how many fell to DEBUG meanwhile), so that a flood
 * cannot flood the log too. Shared by every event loop.
 */
public final class LimitLines {
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final System.Logger logger;
    private final LongSupplier nanoClock;
    private final AtomicLong nextLoudAt;
    private final AtomicLong quiet = new AtomicLong();

    public LimitLines(System.Logger logger, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.nextLoudAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Writes {@code line} at {@code level}, or at DEBUG when a line was written less than 10 s ago. */
    public void log(ErrorLog.Level level, String line) {
        long now = nanoClock.getAsLong();
        long next = nextLoudAt.get();
        if (now - next >= 0 && nextLoudAt.compareAndSet(next, now + INTERVAL_NANOS)) {
            long skipped = quiet.getAndSet(0);
            logger.log(level(level), skipped == 0 ? line
                    : line + " (" + skipped + " more since the last such line, logged at DEBUG)");
        } else {
            quiet.incrementAndGet();
            logger.log(Level.DEBUG, line);
        }
    }

    /** The JDK level the error log shows as nginx's (info to error): notice has none of its own, and shows as info. */
    private static Level level(ErrorLog.Level level) {
        return switch (level) {
            case INFO, NOTICE -> Level.INFO;
            case WARN -> Level.WARNING;
            default -> Level.ERROR;
        };
    }
}
