package dev.proxyline.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The event loop groups of one running server: one acceptor thread for all listeners and the worker
 * threads that own accepted channels and their upstreams. Closing shuts both down.
 */
public final class EventLoops implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final WorkerConnections connections;

    private EventLoops(Transport transport, EventLoopGroup acceptors, EventLoopGroup workers,
                       WorkerConnections connections) {
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
        this.connections = connections;
    }

    /** Starts the groups with no practical connection limit. */
    public static EventLoops start(Transport transport, WorkerThreads workers) {
        return start(transport, workers, Integer.MAX_VALUE, System::nanoTime);
    }

    /**
     * Starts the groups: one acceptor thread and {@code workers.count()} worker threads, each of
     * which admits at most {@code workerConnections} accepted connections at once.
     *
     * @param nanoClock monotonic nanoseconds, for the rate limit of the refusal log line
     */
    public static EventLoops start(Transport transport, WorkerThreads workers, int workerConnections,
                                   LongSupplier nanoClock) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (workerConnections < 1) {
            throw new IllegalArgumentException("worker_connections: " + workerConnections + " (expected at least 1)");
        }
        // Accepting is cheap; one thread keeps every listener's accept loop away from the relay threads.
        EventLoopGroup acceptors = transport.newEventLoopGroup(1, "proxyline-accept");
        EventLoopGroup workerGroup = transport.newEventLoopGroup(workers.count(), "proxyline-worker");
        return new EventLoops(transport, acceptors, workerGroup,
                new WorkerConnections(workerGroup, workerConnections, nanoClock));
    }

    /** The transport both groups were built for. */
    public Transport transport() {
        return transport;
    }

    /** The group listening sockets register with. */
    public EventLoopGroup acceptors() {
        return acceptors;
    }

    /** The group accepted channels (and, through them, upstream channels) run on. */
    public EventLoopGroup workers() {
        return workers;
    }

    /** The {@code worker_connections} gate accepted channels pass. */
    public WorkerConnections connections() {
        return connections;
    }

    /** Starts a graceful shutdown of both groups with the given quiet period and upper bound. */
    public Future<?> shutdown(Duration quietPeriod, Duration timeout) {
        acceptors.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return workers.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Shuts down without a quiet period and waits up to five seconds. */
    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
