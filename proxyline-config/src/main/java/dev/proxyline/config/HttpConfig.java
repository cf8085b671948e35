package dev.proxyline.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code http} block: upstreams, servers, log formats (including the predefined {@code combined}), and the
 * variables of its {@code map} blocks. {@code errorLog} is the http block's {@code error_log}: where the lines of
 * request handling go instead of the process's error log.
 */
public record HttpConfig(Map<String, Upstream> upstreams, List<HttpServer> servers, Map<String, LogFormat> logFormats,
                         HttpSettings settings, List<MapBlock> maps, Map<String, LimitConnZone> limitConnZones,
                         Map<String, LimitReqZone> limitReqZones, Optional<ErrorLog> errorLog) {
    public HttpConfig {
        Objects.requireNonNull(errorLog, "errorLog");
        limitReqZones = OrderedMaps.copy(limitReqZones);
        limitConnZones = OrderedMaps.copy(limitConnZones);
        maps = List.copyOf(maps);
        upstreams = OrderedMaps.copy(upstreams);
        servers = List.copyOf(servers);
        logFormats = OrderedMaps.copy(logFormats);
        Objects.requireNonNull(settings, "settings");
    }

    /** The variables the {@code map} blocks define, lower case, without {@code $}. */
    public Set<String> mapVariables() {
        Set<String> names = new HashSet<>();
        for (MapBlock map : maps) names.add(Ascii.lowerCase(map.variable()));
        return names;
    }

    /** Every {@code set} of every server, location and {@code if}, in file order. */
    public List<SetRule> allSets() {
        List<SetRule> all = new ArrayList<>();
        walk(step -> {
            if (step instanceof SetRule set) all.add(set);
        }, location -> {});
        return all;
    }

    /**
     * The variables the regexes of every {@code rewrite}, {@code if}, regex {@code location} and {@code map} regex
     * assign ({@code 1}..{@code 9} and named groups), in file order (the maps' first); a regex location or map regex
     * without groups declares none (its match only empties {@code $1}..{@code $9}).
     */
    public List<CaptureVariable> allCaptures() {
        List<CaptureVariable> all = new ArrayList<>();
        for (MapBlock map : maps) {
            for (MapBlock.Entry entry : map.entries()) {
                if (!(entry.key() instanceof MapBlock.Key.Regex key)) continue;
                Pattern regex = key.compile();
                if (regex.matcher("").groupCount() > 0) {
                    CaptureVariable.addAll(entry.value().position(), regex, "map", all);
                }
            }
        }
        walk(step -> {
            if (step instanceof RewriteRule rule) CaptureVariable.addAll(rule.position(), rule.regex(), "rewrite", all);
            if (step instanceof IfRule rule && rule.condition() instanceof IfCondition.Match match) {
                CaptureVariable.addAll(rule.position(), match.regex(), "if", all);
            }
        }, location -> location.match().regex().filter(regex -> regex.matcher("").groupCount() > 0)
                .ifPresent(regex -> CaptureVariable.addAll(location.position(), regex, "location", all)));
        return all;
    }

    /** Visits every location and every rewrite-module directive (an {@code if}'s body too), in file order. */
    private void walk(Consumer<RewriteStep> steps, Consumer<Location> locations) {
        for (HttpServer server : servers) {
            walkSteps(server.rewrites(), steps);
            walkLocations(server.locations(), steps, locations);
        }
    }

    private static void walkSteps(List<RewriteStep> list, Consumer<RewriteStep> steps) {
        for (RewriteStep step : list) {
            steps.accept(step);
            if (step instanceof IfRule rule) walkSteps(rule.steps(), steps);
        }
    }

    private static void walkLocations(List<Location> list, Consumer<RewriteStep> steps,
                                      Consumer<Location> locations) {
        for (Location location : list) {
            locations.accept(location);
            walkSteps(location.rewrites(), steps);
            walkLocations(location.locations(), steps, locations);
        }
    }
}
