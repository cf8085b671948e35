package dev.proxyline.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code stream} block: upstream groups by name (in file order), servers, log formats by name, the variables
 * of its {@code map} blocks, and its {@code limit_conn_zone}s by name.
 */
public record StreamConfig(Map<String, Upstream> upstreams, List<StreamServer> servers, Map<String, LogFormat> logFormats,
                           List<MapBlock> maps, Map<String, LimitConnZone> limitConnZones) {
    public StreamConfig {
        maps = List.copyOf(maps);
        upstreams = OrderedMaps.copy(upstreams);
        servers = List.copyOf(servers);
        logFormats = OrderedMaps.copy(logFormats);
        limitConnZones = OrderedMaps.copy(limitConnZones);
    }
}
