package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code http} block: upstreams, servers, log formats (including the predefined {@code combined}), and the
 * variables of its {@code map} blocks.
 */
public record HttpConfig(Map<String, Upstream> upstreams, List<HttpServer> servers, Map<String, LogFormat> logFormats,
                         HttpSettings settings, List<MapBlock> maps, Map<String, LimitConnZone> limitConnZones,
                         Map<String, LimitReqZone> limitReqZones) {
    public HttpConfig {
        limitReqZones = OrderedMaps.copy(limitReqZones);
        limitConnZones = OrderedMaps.copy(limitConnZones);
        maps = List.copyOf(maps);
        upstreams = OrderedMaps.copy(upstreams);
        servers = List.copyOf(servers);
        logFormats = OrderedMaps.copy(logFormats);
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * Every {@code set} of every server, location and {@code if}, in file order, and for each {@code if} with a regex
     * the variables of its captures ({@code 1}..{@code 9} and named groups, with an empty value).
     */
    public List<SetRule> allSets() {
        List<SetRule> all = new ArrayList<>();
        for (HttpServer server : servers) {
            addSetsOf(server.rewrites(), all);
            addSets(server.locations(), all);
        }
        return all;
    }

    private static void addSetsOf(List<RewriteStep> steps, List<SetRule> all) {
        for (RewriteStep step : steps) {
            if (step instanceof SetRule set) all.add(set);
            if (step instanceof IfRule rule) {
                // A regex condition's captures are variables the request assigns as set does.
                if (rule.condition() instanceof IfCondition.Match match) {
                    for (String name : match.captureNames()) all.add(new SetRule(rule.position(), name, ""));
                }
                addSetsOf(rule.steps(), all);
            }
        }
    }

    private static void addSets(List<Location> locations, List<SetRule> all) {
        for (Location location : locations) {
            addSetsOf(location.rewrites(), all);
            addSets(location.locations(), all);
        }
    }
}
