package dev.proxyline.server.variables;

import dev.proxyline.config.Ascii;
import dev.proxyline.config.MapBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variable of a {@code map} block. Its source is rendered for the session and matched in nginx's order: an
 * exact key (ASCII case ignored), then the longest {@code *.suffix}, then the longest {@code prefix.*} (both with
 * {@code hostnames}), then the first regex in file order, else the default; the chosen value is rendered, with
 * the regex's captures, which become the request's ({@code $1}..{@code $9} and the named groups, as nginx's) for
 * what is evaluated after. Evaluated each time it is used (nginx caches the value per request unless
 * {@code volatile}).
 *
 * <p>Made in two steps because maps may use each other in any order: {@link VariableTable#withMaps} creates every
 * map variable, then compiles each one's templates against the table that holds them all, before the table is
 * handed to any event loop (which publishes the compiled state to them).
 */
public final class MapVariable implements Variable {
    /** A mask key with its value, kept longest first. */
    record Masked(String text, CapturingTemplate value) {}

    /**
     * A regex key with its value, in file order, and where its match puts its captures for the request (empty where
     * nothing reads them).
     */
    record RegexKey(Pattern pattern, CapturingTemplate value, Optional<MapCaptures> captures) {}

    /** Everything but the name, compiled. */
    record Compiled(Template source, boolean hostnames, Map<String, CapturingTemplate> exact, List<Masked> suffixes,
                    List<Masked> prefixes, List<RegexKey> regexes, CapturingTemplate fallback) {
        Compiled {
            Objects.requireNonNull(source, "source");
            exact = Map.copyOf(exact);
            suffixes = sortedLongestFirst(suffixes);
            prefixes = sortedLongestFirst(prefixes);
            regexes = List.copyOf(regexes);
            Objects.requireNonNull(fallback, "fallback");
        }

        private static List<Masked> sortedLongestFirst(List<Masked> masks) {
            List<Masked> sorted = new ArrayList<>(masks);
            sorted.sort(Comparator.comparingInt((Masked m) -> m.text().length()).reversed());
            return List.copyOf(sorted);
        }

        /** The templates of the source and every value, for finding which variables the map uses. */
        List<Template> templates() {
            List<Template> all = new ArrayList<>(List.of(source));
            List<CapturingTemplate> values = new ArrayList<>(exact.values());
            suffixes.forEach(m -> values.add(m.value()));
            prefixes.forEach(m -> values.add(m.value()));
            regexes.forEach(r -> values.add(r.value()));
            values.add(fallback);
            values.forEach(v -> all.addAll(v.templates()));
            return all;
        }
    }

    private final String name;
    private Compiled compiled; // set once by VariableTable.withMaps, before the table is used

    MapVariable(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    void define(Compiled compiled) {
        if (this.compiled != null) {
            throw new IllegalStateException("$" + name + " is already defined");
        }
        this.compiled = Objects.requireNonNull(compiled, "compiled");
    }

    Compiled compiled() {
        return compiled;
    }

    @Override
    public String variableName() {
        return name;
    }

    /** Always found: a map without a match or a default is the empty string, as in nginx. */
    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        Compiled map = compiled;
        String source = map.source().render(session);
        if (map.hostnames() && source.endsWith(".")) {
            source = source.substring(0, source.length() - 1);
        }
        if (!map.exact().isEmpty() || !map.suffixes().isEmpty() || !map.prefixes().isEmpty()) {
            String key = Ascii.lowerCase(source);
            CapturingTemplate value = map.exact().get(key);
            if (value == null) {
                value = firstMask(map.suffixes(), key, false);
            }
            if (value == null) {
                value = firstMask(map.prefixes(), key, true);
            }
            if (value != null) {
                value.render(session, null, out);
                return true;
            }
        }
        for (RegexKey regex : map.regexes()) {
            Matcher matcher = regex.pattern().matcher(source);
            if (matcher.find()) {
                regex.value().render(session, matcher, out);
                if (regex.captures().isPresent() && session.http().isPresent()) {
                    regex.captures().get().assign(matcher, session.http().get().writable());
                }
                return true;
            }
        }
        map.fallback().render(session, null, out);
        return true;
    }

    private static CapturingTemplate firstMask(List<Masked> masks, String key, boolean prefix) {
        for (Masked mask : masks) {
            if (prefix ? key.startsWith(mask.text()) : key.endsWith(mask.text())) {
                return mask.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "$" + name;
    }
}
