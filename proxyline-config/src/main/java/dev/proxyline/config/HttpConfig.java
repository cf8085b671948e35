package dev.proxyline.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code http} block: upstreams, servers, log formats (including the predefined {@code combined}), and the
 * variables of its {@code map} blocks.
 */
public record HttpConfig(Map<String, Upstream> upstreams, List<HttpServer> servers, Map<String, LogFormat> logFormats,
                         HttpSettings settings, List<MapBlock> maps) {
    public HttpConfig {
        maps = List.copyOf(maps);
        upstreams = OrderedMaps.copy(upstreams);
        servers = List.copyOf(servers);
        logFormats = OrderedMaps.copy(logFormats);
        Objects.requireNonNull(settings, "settings");
    }
}
