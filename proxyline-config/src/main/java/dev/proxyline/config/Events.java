package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code events} block. {@code workerConnections} is the per-event-loop connection limit (nginx default 512);
 * {@code multiAccept} is {@code multi_accept} (empty: proxyline's own batch, see the runtime); {@code useEpoll}
 * is {@code use epoll}, which asks for the epoll transport (the only event method proxyline names).
 */
public record Events(int workerConnections, Optional<Boolean> multiAccept, boolean useEpoll) {
    public static final int DEFAULT_WORKER_CONNECTIONS = 512;

    /** nginx's defaults, with proxyline's accept batch. */
    public static final Events DEFAULTS = new Events(DEFAULT_WORKER_CONNECTIONS, Optional.empty(), false);

    public Events {
        if (workerConnections < 1) throw new IllegalArgumentException("workerConnections");
        Objects.requireNonNull(multiAccept, "multiAccept");
    }
}
