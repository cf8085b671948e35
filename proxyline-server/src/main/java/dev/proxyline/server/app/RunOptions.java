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
 * @param streamChannels stream sessions on Netty channels even on the epoll transport, where they otherwise run
 *                     on raw descriptors (for tests of both paths and the benchmark's comparison)
 */
public record RunOptions(Transport transport, Duration drainTimeout, Clock clock, LongSupplier nanoClock, int cores,
                         Path prefix, boolean streamChannels) {

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
     * 10 s drain, the system clocks, this JVM's core count and the working directory as prefix, raw
     * stream sessions on epoll.
     */
    public static RunOptions defaults() {
        return new RunOptions(Transport.best(), DEFAULT_DRAIN_TIMEOUT, Clock.systemUTC(), System::nanoTime,
                Runtime.getRuntime().availableProcessors(), Path.of("").toAbsolutePath(), false);
    }

    /** A copy with another transport. */
    public RunOptions withTransport(Transport newTransport) {
        return new RunOptions(newTransport, drainTimeout, clock, nanoClock, cores, prefix, streamChannels);
    }

    /** A copy with another drain deadline. */
    public RunOptions withDrainTimeout(Duration timeout) {
        return new RunOptions(transport, timeout, clock, nanoClock, cores, prefix, streamChannels);
    }

    /** A copy resolving relative access log paths against {@code directory}. */
    public RunOptions withPrefix(Path directory) {
        return new RunOptions(transport, drainTimeout, clock, nanoClock, cores, directory, streamChannels);
    }

    /** A copy that keeps stream sessions on Netty channels ({@code true}) or lets epoll run them raw. */
    public RunOptions withStreamChannels(boolean channels) {
        return new RunOptions(transport, drainTimeout, clock, nanoClock, cores, prefix, channels);
    }

    /** Whether stream listens accept on raw descriptors: on the epoll transport, unless channels are forced. */
    public boolean rawStreams() {
        return transport.isNative() && !streamChannels;
    }
}
