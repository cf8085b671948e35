package dev.proxyline.server.variables;

import dev.proxyline.config.CaptureVariable;
import dev.proxyline.config.NginxRegex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code map} regex's match puts its captures for the rest of the request, as nginx's: {@code $1}..{@code $9}
 * are its groups (emptied by a regex without groups), and each named group is set; a regex that misses changes
 * nothing.
 *
 * @param slots    the length of a request's set values
 * @param numbered the set-value slots of {@code $1}..{@code $9}
 * @param named    the slots of the named groups, in the order of {@code groups}
 * @param groups   the named groups, as Java knows them ({@link NginxRegex#javaName})
 */
record MapCaptures(int slots, int[] numbered, int[] named, String[] groups) {
    MapCaptures {
        Objects.requireNonNull(numbered, "numbered");
        Objects.requireNonNull(named, "named");
        Objects.requireNonNull(groups, "groups");
    }

    /**
     * The slots of {@code regex}'s captures in {@code table}; empty where a match assigns none: in the stream module,
     * and in an http block where no regex has groups (nothing reads {@code $1} there).
     */
    static Optional<MapCaptures> of(Pattern regex, VariableTable table) {
        if (!(table.find(CaptureVariable.NUMBERED.get(0)).orElse(null) instanceof SetVariable)) return Optional.empty();
        int[] numbered = new int[CaptureVariable.NUMBERED.size()];
        for (int i = 0; i < numbered.length; i++) {
            numbered[i] = slot(CaptureVariable.NUMBERED.get(i), table);
        }
        List<String> names = NginxRegex.groupNames(regex);
        int[] named = new int[names.size()];
        for (int i = 0; i < named.length; i++) named[i] = slot(names.get(i), table);
        return Optional.of(new MapCaptures(table.setSlots(), numbered, named,
                names.stream().map(NginxRegex::javaName).toArray(String[]::new)));
    }

    /** @throws TemplateException where the capture is a variable of its own (reported with the table's problems) */
    private static int slot(String name, VariableTable table) {
        if (!(table.require(name) instanceof SetVariable set)) {
            throw new TemplateException("the capture \"" + name + "\" is a variable of its own (nginx's, or a map's)");
        }
        return set.index();
    }

    /** After {@code match} found its regex in the map's source: its captures are the request's ({@code into}). */
    void assign(Matcher match, SetValues into) {
        String[] values = into.writable(slots);
        if (values == null) return;
        for (int i = 0; i < numbered.length; i++) {
            values[numbered[i]] = i < match.groupCount() ? match.group(i + 1) : null;
        }
        for (int i = 0; i < named.length; i++) values[named[i]] = match.group(groups[i]);
    }
}
