package dev.proxyline.server.app;

import dev.proxyline.server.transport.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link ProxylineServer} runs, apart from its configuration.
 *
 * @param transport    the socket implementation
 * @param drainTimeout how long a stop waits for live sessions before closing them
 * @param clock        wall-clock time (session start times, access log times)
 * @param nanoClock    monotonic nanoseconds (balancing, passive health, rate limits)
 * @param cores        the core count {@code worker_processes auto} sizes the event loops from
 * @param prefix       the directory relative access log paths are resolved against (nginx's prefix)
 */
public record RunOptions(Transport transport, Duration drainTimeout, Clock clock, LongSupplier nanoClock, int cores,
                         Path prefix) {

    /** The default drain deadline. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** Validates the options. */
    public RunOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(prefix, "prefix");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout " + drainTimeout + " (expected zero or more)");
        }
        if (cores < 1) {
            throw new IllegalArgumentException("cores " + cores + " (expected at least 1)");
        }
    }

    /**
     * The best transport ({@link Transport#best()}: native epoll where it loads, NIO elsewhere), a
     * 10 s drain, the system clocks, this JVM's core count and the working directory as prefix.
     */
    public static RunOptions defaults() {
        return new RunOptions(Transport.best(), DEFAULT_DRAIN_TIMEOUT, Clock.systemUTC(), System::nanoTime,
                Runtime.getRuntime().availableProcessors(), Path.of("").toAbsolutePath());
    }

    /** A copy with another transport. */
    public RunOptions withTransport(Transport newTransport) {
        return new RunOptions(newTransport, drainTimeout, clock, nanoClock, cores, prefix);
    }

    /** A copy with another drain deadline. */
    public RunOptions withDrainTimeout(Duration timeout) {
        return new RunOptions(transport, timeout, clock, nanoClock, cores, prefix);
    }

    /** A copy resolving relative access log paths against {@code directory}. */
    public RunOptions withPrefix(Path directory) {
        return new RunOptions(transport, drainTimeout, clock, nanoClock, cores, directory);
    }
}
