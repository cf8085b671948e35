package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.limit.LimitLines;
import java.util.function.LongSupplier;

/**
 * The error-log lines of {@code limit_req} and {@code limit_conn}, in nginx's wording and at the level their
 * {@code *_log_level} sets: {@code limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: a,
 * request: "GET / HTTP/1.1", host: "a"}, rate-limited as {@link LimitLines} says.
 */
final class LimitLog {
    private final LimitLines lines;

    LimitLog(System.Logger logger, LongSupplier nanoClock) {
        this.lines = new LimitLines(logger, nanoClock);
    }

    /** limit_req's lines. */
    static LimitLog standard(LongSupplier nanoClock) {
        return new LimitLog(System.getLogger(LimitLog.class.getName()), nanoClock);
    }

    /** limit_conn's lines, a logger (and a once-every-10-s allowance) of their own, below limit_req's. */
    static LimitLog limitConn(LongSupplier nanoClock) {
        return new LimitLog(System.getLogger(LimitLog.class.getName() + ".limit_conn"), nanoClock);
    }

    void log(ErrorLog.Level level, String what, RequestFacts facts) {
        lines.log(level, what + context(facts));
    }

    /** What nginx adds to a request's error-log line: {@code , client: ..., server: ..., request: "...", host: "..."}. */
    static String context(RequestFacts facts) {
        return ", client: " + AddressText.addr(facts.client.remote()) + ", server: " + facts.serverName
                + ", request: \"" + facts.method + " " + facts.requestUri + " " + facts.protocol + "\""
                + facts.receivedHeaders().first("Host").map(host -> ", host: \"" + host + "\"").orElse("");
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
