package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.server.http.realip.AddressText;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The error-log lines of {@code limit_req} and {@code limit_conn}, in nginx's wording and at the level their
 * {@code *_log_level} sets: {@code limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: a,
 * request: "GET / HTTP/1.1", host: "a"}. As every peer-caused line here, at most one every 10 s is written at that
 * level (saying how many fell to DEBUG meanwhile), so that a flood cannot flood the log too.
 */
final class LimitLog {
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final System.Logger logger;
    private final LongSupplier nanoClock;
    private final AtomicLong nextLoudAt;
    private final AtomicLong quiet = new AtomicLong();

    LimitLog(System.Logger logger, LongSupplier nanoClock) {
        this.logger = logger;
        this.nanoClock = nanoClock;
        this.nextLoudAt = new AtomicLong(nanoClock.getAsLong());
    }

    static LimitLog standard(LongSupplier nanoClock) {
        return new LimitLog(System.getLogger(LimitLog.class.getName()), nanoClock);
    }

    void log(ErrorLog.Level level, String what, RequestFacts facts) {
        String line = what + ", client: " + AddressText.addr(facts.client.remote()) + ", server: " + facts.serverName
                + ", request: \"" + facts.method + " " + facts.requestUri + " " + facts.protocol + "\""
                + facts.receivedHeaders().first("Host").map(host -> ", host: \"" + host + "\"").orElse("");
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

    /** nginx's level for a delay: one below the rejections' (info stays info). */
    static ErrorLog.Level delayLevel(ErrorLog.Level level) {
        return switch (level) {
            case ERROR -> ErrorLog.Level.WARN;
            case WARN -> ErrorLog.Level.NOTICE;
            default -> ErrorLog.Level.INFO;
        };
    }

    /** Thousandths as nginx prints an excess: {@code 1.000}. */
    static String thousandths(long excess) {
        long fraction = excess % 1000;
        return excess / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
