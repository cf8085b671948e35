package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;

/** {@code server ADDR [weight=N] [max_fails=N] [fail_timeout=T] [backup] [down]} inside an upstream (nginx defaults 1, 1, 10s). */
public record UpstreamServer(Endpoint endpoint, int weight, int maxFails, Duration failTimeout, boolean backup,
                             boolean down) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final int DEFAULT_MAX_FAILS = 1;
    public static final Duration DEFAULT_FAIL_TIMEOUT = Duration.ofSeconds(10);

    public UpstreamServer {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(failTimeout, "failTimeout");
        if (weight < 1) throw new IllegalArgumentException("weight must be >= 1");
        if (maxFails < 0) throw new IllegalArgumentException("max_fails must be >= 0");
    }
}
