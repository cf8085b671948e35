package dev.proxyline.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The {@code http} block: upstreams, servers, log formats (including the predefined {@code combined}). */
public record HttpConfig(Map<String, Upstream> upstreams, List<HttpServer> servers, Map<String, LogFormat> logFormats,
                         HttpSettings settings) {
    public HttpConfig {
        upstreams = OrderedMaps.copy(upstreams);
        servers = List.copyOf(servers);
        logFormats = OrderedMaps.copy(logFormats);
        Objects.requireNonNull(settings, "settings");
    }
}
