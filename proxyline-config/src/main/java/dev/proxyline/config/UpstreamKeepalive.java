package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How an http upstream's connections are reused, as nginx's upstream directives say: {@code keepalive} idle
 * connections kept per worker (0: none, every request opens its own), each closed after
 * {@code keepalive_requests} requests, once it is older than {@code keepalive_time}, or after
 * {@code keepalive_timeout} idle. The last three have nginx's defaults and matter only with {@code keepalive}.
 */
public record UpstreamKeepalive(int connections, int requests, Duration time, Duration timeout) {
    /** No reuse; nginx's defaults for the rest (1000 requests, 1 h, 60 s). */
    public static final UpstreamKeepalive NONE =
            new UpstreamKeepalive(0, 1000, Duration.ofHours(1), Duration.ofSeconds(60));

    public UpstreamKeepalive {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(timeout, "timeout");
        if (connections < 0) throw new IllegalArgumentException("keepalive " + connections);
        if (requests < 1) throw new IllegalArgumentException("keepalive_requests " + requests);
    }
}
