package dev.proxyline.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The event loops of one running server: the worker threads that accept connections and own them and
 * their upstreams. Closing shuts them down.
 *
 * <p>Listeners accept on the workers themselves, as nginx's and HAProxy's workers do. A separate
 * acceptor thread would cost, per connection, a hand-over to the worker (a task queued across threads
 * and an eventfd write to wake it) and, with one worker, a second thread competing for the same core.
 */
public final class EventLoops implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup workers;
    private final WorkerConnections connections;

    private EventLoops(Transport transport, EventLoopGroup workers, WorkerConnections connections) {
        this.transport = transport;
        this.workers = workers;
        this.connections = connections;
    }

    /** Starts the groups with no practical connection limit. */
    public static EventLoops start(Transport transport, WorkerThreads workers) {
        return start(transport, workers, Integer.MAX_VALUE, System::nanoTime);
    }

    /**
     * Starts {@code workers.count()} worker threads, each of which admits at most {@code workerConnections} accepted connections at once.
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
        EventLoopGroup workerGroup = transport.newEventLoopGroup(workers.count(), "proxyline-worker");
        return new EventLoops(transport, workerGroup, new WorkerConnections(workerGroup, workerConnections, nanoClock));
    }

    /** The transport the workers were built for. */
    public Transport transport() {
        return transport;
    }

    /** The group listening sockets register with: the workers (each listening socket on one of them). */
    public EventLoopGroup acceptors() {
        return workers;
    }

    /** The group accepted channels (and, through them, upstream channels) run on. */
    public EventLoopGroup workers() {
        return workers;
    }

    /** The {@code worker_connections} gate accepted channels pass. */
    public WorkerConnections connections() {
        return connections;
    }

    /** Starts a graceful shutdown of the workers with the given quiet period and upper bound. */
    public Future<?> shutdown(Duration quietPeriod, Duration timeout) {
        return workers.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Shuts down without a quiet period and waits up to five seconds. */
    @Override
    public void close() {
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
