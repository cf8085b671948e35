package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * A named group of servers. {@code keepalive} (connection reuse) is http only; {@link UpstreamKeepalive#NONE}
 * when unset, which means no connection reuse.
 */
public record Upstream(String name, Position position, List<UpstreamServer> servers, Balancing balancing,
                       UpstreamKeepalive keepalive) {
    public Upstream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(balancing, "balancing");
        servers = List.copyOf(servers);
        Objects.requireNonNull(keepalive, "keepalive");
    }
}
