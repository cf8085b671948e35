package dev.proxyline.server.http.proxy;

import dev.proxyline.protocol.netty.RejectionLog;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What every request handler of a server shares.
 *
 * @param clock     wall-clock time for the access log
 * @param nanoClock monotonic time for timeouts and durations
 * @param failures  the rate-limited log of peer-caused and upstream errors
 * @param counters  those errors counted by reason
 */
public record HttpRuntime(Clock clock, LongSupplier nanoClock, RejectionLog failures, HttpCounters counters) {
    public HttpRuntime {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(counters, "counters");
    }
}
