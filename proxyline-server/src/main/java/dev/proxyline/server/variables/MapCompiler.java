package dev.proxyline.server.variables;

import dev.proxyline.config.Argument;
import dev.proxyline.config.MapBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles a {@code map} block against the table that holds every map (see {@link VariableTable#withMaps}), and
 * finds a map that uses itself. Problems come out as {@link TemplateException}s naming file:line:column.
 */
final class MapCompiler {
    private MapCompiler() {}

    static MapVariable.Compiled compile(MapBlock map, VariableTable table) {
        Template source = template(map.source(), table);
        Map<String, CapturingTemplate> exact = new HashMap<>();
        List<MapVariable.Masked> suffixes = new ArrayList<>();
        List<MapVariable.Masked> prefixes = new ArrayList<>();
        List<MapVariable.RegexKey> regexes = new ArrayList<>();
        for (MapBlock.Entry entry : map.entries()) {
            MapBlock.Key key = entry.key();
            if (key instanceof MapBlock.Key.Regex r) {
                Pattern pattern = r.compile();
                regexes.add(new MapVariable.RegexKey(pattern, value(entry.value(), table, pattern),
                        captures(pattern, table, entry.value())));
            } else if (key instanceof MapBlock.Key.Exact e) {
                exact.put(ByteStrings.fromUtf8(e.text()), value(entry.value(), table, null));
            } else if (key instanceof MapBlock.Key.Suffix suffix) {
                suffixes.add(new MapVariable.Masked(ByteStrings.fromUtf8(suffix.suffix()),
                        value(entry.value(), table, null)));
            } else {
                prefixes.add(new MapVariable.Masked(ByteStrings.fromUtf8(((MapBlock.Key.Prefix) key).prefix()),
                        value(entry.value(), table, null)));
            }
        }
        CapturingTemplate fallback = map.fallback().map(v -> value(v, table, null))
                .orElseGet(() -> CapturingTemplate.compile("", table, false, Set.of()));
        return new MapVariable.Compiled(source, map.hostnames(), exact, suffixes, prefixes, regexes, fallback);
    }

    private static Template template(Argument text, VariableTable table) {
        try {
            return Template.compile(text.value(), table);
        } catch (TemplateException e) {
            throw new TemplateException(text.position() + ": " + e.getMessage());
        }
    }

    private static Optional<MapCaptures> captures(Pattern regex, VariableTable table, Argument where) {
        try {
            return MapCaptures.of(regex, table);
        } catch (TemplateException e) {
            throw new TemplateException(where.position() + ": " + e.getMessage());
        }
    }

    /** A value; {@code regex} is the entry's pattern, whose captures it may use, or null. */
    private static CapturingTemplate value(Argument text, VariableTable table, Pattern regex) {
        try {
            return CapturingTemplate.compile(text.value(), table, regex != null,
                    regex == null ? Set.of() : CapturingTemplate.namedGroups(regex));
        } catch (TemplateException e) {
            throw new TemplateException(text.position() + ": " + e.getMessage());
        }
    }

    /** The chain by which {@code map} reaches itself through the maps it uses, if it does. */
    static Optional<String> usesItself(MapVariable map) {
        return usesItself(map, map, new ArrayList<>());
    }

    private static Optional<String> usesItself(MapVariable start, MapVariable map, List<MapVariable> path) {
        for (Template template : map.compiled().templates()) {
            for (Template.Segment segment : template.segments()) {
                if (segment instanceof Template.Reference ref && ref.variable() instanceof MapVariable next
                        && next.compiled() != null && !path.contains(next)) {
                    path.add(next);
                    if (next == start) {
                        return Optional.of(path.stream().map(MapVariable::toString)
                                .reduce(start.toString(), (a, b) -> a + " -> " + b));
                    }
                    Optional<String> found = usesItself(start, next, path);
                    if (found.isPresent()) {
                        return found;
                    }
                    path.remove(path.size() - 1);
                }
            }
        }
        return Optional.empty();
    }

}
