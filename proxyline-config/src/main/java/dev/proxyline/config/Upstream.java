package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * A named group of servers. {@code keepalive} (idle connections kept per worker) is http only and 0 when
 * unset, which means no connection reuse.
 */
public record Upstream(String name, Position position, List<UpstreamServer> servers, Balancing balancing,
                       int keepalive) {
    public Upstream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(balancing, "balancing");
        servers = List.copyOf(servers);
        if (keepalive < 0) throw new IllegalArgumentException("keepalive");
    }
}
