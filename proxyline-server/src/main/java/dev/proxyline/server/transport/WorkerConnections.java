package dev.proxyline.server.transport;

import dev.proxyline.protocol.netty.RejectionLog;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code worker_connections} applied: each worker event loop admits at most that many accepted
 * connections at once; one more is closed as soon as it is accepted, with a log line as nginx writes
 * it ("N worker_connections are not enough"), at ERROR at most every 10 s (nginx's level is alert).
 *
 * <p>Only accepted (client) connections are counted. nginx also counts each upstream connection
 * against the limit; counting them here would make a full worker look like a failed upstream to
 * passive health checks.
 */
public final class WorkerConnections {

    private final Map<EventExecutor, ConnectionSlots> perWorker = new IdentityHashMap<>();
    private final int limit;
    private final RejectionLog alert;

    /**
     * @param workers the worker group; one set of slots per event loop
     * @param limit {@code worker_connections}, at least 1
     * @param nanoClock monotonic nanoseconds, for the rate limit of the log line
     */
    public WorkerConnections(EventLoopGroup workers, int limit, LongSupplier nanoClock) {
        Objects.requireNonNull(workers, "workers");
        this.alert = new RejectionLog(System.getLogger(WorkerConnections.class.getName()), Duration.ofSeconds(10),
                nanoClock);
        this.limit = limit;
        for (EventExecutor loop : workers) {
            perWorker.put(loop, new ConnectionSlots(limit));
        }
    }

    /**
     * Admits a just-accepted channel, on its event loop: takes a slot until the channel closes, or
     * closes the channel if its worker has none left.
     *
     * @return whether the channel was admitted
     */
    public boolean admit(Channel accepted) {
        Optional<ConnectionSlots> slots = admit(accepted.eventLoop(), accepted.remoteAddress());
        if (slots.isEmpty()) {
            accepted.close();
            return false;
        }
        accepted.closeFuture().addListener(f -> slots.get().release());
        return true;
    }

    /**
     * Takes a slot on {@code worker} for a connection just accepted from {@code peer}, for a caller that
     * has no channel (raw descriptors). Empty, with the log line of {@link #admit(Channel)}, when the worker
     * has none left; the caller then closes the connection.
     *
     * @return the worker's slots, one of them taken: the caller releases it once when the connection closes
     */
    public Optional<ConnectionSlots> admit(EventExecutor worker, SocketAddress peer) {
        ConnectionSlots slots = perWorker.get(worker);
        if (slots == null) {
            throw new IllegalArgumentException(worker + " is not a worker of this group");
        }
        if (!slots.tryAcquire()) {
            alert.alert(limit + " worker_connections are not enough; closed the connection from " + peer);
            return Optional.empty();
        }
        return Optional.of(slots);
    }

    /** Connections open on all workers together. */
    public int open() {
        return perWorker.values().stream().mapToInt(ConnectionSlots::open).sum();
    }
}
