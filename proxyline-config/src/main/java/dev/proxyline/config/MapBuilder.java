package dev.proxyline.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/** Reads {@code map} blocks of {@code http} and {@code stream}, with nginx's rules for keys and special parameters. */
final class MapBuilder {
    private final ArgReader r;

    MapBuilder(ArgReader r) {
        this.r = r;
    }

    /** Every map of a block, each defining a different variable. */
    List<MapBlock> build(List<Directive> blocks) {
        List<MapBlock> maps = new ArrayList<>();
        Map<String, MapBlock> byVariable = new HashMap<>();
        for (Directive d : blocks) {
            build(d).ifPresent(map -> {
                MapBlock first = byVariable.putIfAbsent(map.variable(), map);
                if (first != null) {
                    r.error(d.arg(1), "duplicate map variable \"$" + map.variable() + "\" (first at " + first.position() + ")");
                } else {
                    maps.add(map);
                }
            });
        }
        return maps;
    }

    private Optional<MapBlock> build(Directive d) {
        Argument variable = d.arg(1);
        String name = variable.value();
        boolean ok = true;
        if (name.length() < 2 || name.charAt(0) != '$' || !name.substring(1).chars().allMatch(MapBuilder::isNameChar)) {
            r.error(variable, "invalid variable name \"" + name + "\" in \"map\" (expected $ and letters, digits or _)");
            ok = false;
        }
        List<Directive> lines = d.children();
        boolean hostnames = lines.stream().anyMatch(l -> l.name().equals("hostnames") && l.args().isEmpty());
        Optional<Argument> fallback = Optional.empty();
        List<MapBlock.Entry> entries = new ArrayList<>();
        Map<MapBlock.Key, Directive> seen = new HashMap<>();
        for (Directive line : lines) {
            if (line.hasBlock()) {
                r.error(line, "a \"map\" entry takes no block");
                ok = false;
                continue;
            }
            boolean special = line.args().isEmpty()
                    && (line.name().equals("hostnames") || line.name().equals("volatile"));
            if (special) {
                continue; // volatile: proxyline evaluates a map each time it is used anyway
            }
            if (line.args().size() != 1) {
                r.error(line, "invalid number of the map parameters for \"" + line.name()
                        + "\" (expected a key and one value)");
                ok = false;
                continue;
            }
            Argument value = line.arg(0);
            if (line.name().equals("default")) {
                if (fallback.isPresent()) {
                    r.error(line, "duplicate default map parameter (first at line " + fallback.get().position().line()
                            + ")");
                    ok = false;
                }
                fallback = Optional.of(value);
                continue;
            }
            List<MapBlock.Key> keys = keys(line, hostnames);
            if (keys.isEmpty()) {
                ok = false;
                continue;
            }
            for (MapBlock.Key key : keys) {
                Directive first = key instanceof MapBlock.Key.Regex ? null : seen.putIfAbsent(key, line);
                if (first != null) {
                    r.error(line, "conflicting map parameter \"" + line.name() + "\" (first at line "
                            + first.position().line() + ")");
                    ok = false;
                } else {
                    entries.add(new MapBlock.Entry(key, value));
                }
            }
        }
        return ok ? Optional.of(new MapBlock(d.position(), d.arg(0), name.substring(1), hostnames, fallback, entries))
                : Optional.empty();
    }

    /** The keys a line stands for: one, or two for {@code .example.com}; none after an error. */
    private List<MapBlock.Key> keys(Directive line, boolean hostnames) {
        String text = line.name();
        if (text.startsWith("~")) {
            boolean ignoreCase = text.startsWith("~*");
            MapBlock.Key.Regex regex = new MapBlock.Key.Regex(text.substring(ignoreCase ? 2 : 1), ignoreCase);
            try {
                regex.compile();
                return List.of(regex);
            } catch (PatternSyntaxException e) {
                r.error(line, "invalid regular expression \"" + regex.pattern() + "\" in \"map\": "
                        + e.getDescription() + " near index " + e.getIndex());
                return List.of();
            }
        }
        // A leading backslash lets a key be one of the special names (\default, \hostnames) or start with ~.
        String key = Ascii.lowerCase(text.startsWith("\\") ? text.substring(1) : text);
        if (!hostnames) {
            return List.of(new MapBlock.Key.Exact(key));
        }
        if (key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        if (key.startsWith("*.")) {
            return List.of(new MapBlock.Key.Suffix(key.substring(1)));
        }
        if (key.startsWith(".") && key.length() > 1) {
            return List.of(new MapBlock.Key.Exact(key.substring(1)), new MapBlock.Key.Suffix(key));
        }
        if (key.endsWith(".*")) {
            return List.of(new MapBlock.Key.Prefix(key.substring(0, key.length() - 1)));
        }
        if (key.contains("*")) {
            r.error(line, "invalid host name mask \"" + text + "\" in \"map\" (expected *.name, .name or name.*)");
            return List.of();
        }
        return List.of(new MapBlock.Key.Exact(key));
    }

    private static boolean isNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
