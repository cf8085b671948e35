package dev.proxyline.server.http.proxy;

import dev.proxyline.config.CaptureVariable;
import dev.proxyline.config.NginxRegex;
import dev.proxyline.server.variables.SetVariable;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a regex's match puts its captures for the rest of the request, as nginx: {@code $1}..{@code $9} and its named
 * groups, which are set values ({@link VariableTable#withSets}).
 *
 * @param numbered the set-value slots of {@code $1}..{@code $9}
 * @param named    the slots of the named groups, in the order of {@code groups}
 * @param groups   the named groups, as Java knows them ({@link NginxRegex#javaName})
 */
record RegexCaptures(int[] numbered, int[] named, String[] groups) {
    RegexCaptures {
        Objects.requireNonNull(numbered, "numbered");
        Objects.requireNonNull(named, "named");
        Objects.requireNonNull(groups, "groups");
    }

    /**
     * The slots of {@code regex}'s captures in {@code variables}, which has them all (see
     * {@code HttpConfig#allCaptures}).
     *
     * @throws TemplateException if a capture is not a variable that a match can assign
     */
    static RegexCaptures of(Pattern regex, VariableTable variables) {
        int[] numbered = new int[CaptureVariable.NUMBERED.size()];
        for (int i = 0; i < numbered.length; i++) numbered[i] = slot(CaptureVariable.NUMBERED.get(i), variables);
        List<String> groups = NginxRegex.groupNames(regex);
        int[] named = new int[groups.size()];
        for (int i = 0; i < named.length; i++) named[i] = slot(groups.get(i), variables);
        return new RegexCaptures(numbered, named, groups.stream().map(NginxRegex::javaName).toArray(String[]::new));
    }

    /**
     * After a rewrite-module regex ({@code rewrite}, {@code if}) ran: {@code $1}..{@code $9} are its groups when it
     * matched (none for a regex without groups) and nothing when it missed, as nginx's; a named group changes only
     * with a match.
     */
    void assign(Matcher m, boolean found, String[] setValues) {
        for (int i = 0; i < numbered.length; i++) {
            setValues[numbered[i]] = found && i < m.groupCount() ? m.group(i + 1) : null;
        }
        if (found) {
            for (int i = 0; i < named.length; i++) setValues[named[i]] = m.group(groups[i]);
        }
    }

    /**
     * After a regex location was found by {@code match} (the search's, which matched): its captures; a regex without
     * {@code groups} only empties {@code $1}..{@code $9}, as nginx's.
     */
    void assignFound(Matcher match, boolean groups, String[] setValues) {
        if (!groups) {
            for (int slot : numbered) setValues[slot] = null;
            return;
        }
        assign(match, true, setValues);
    }

    private static int slot(String name, VariableTable variables) {
        if (!(variables.require(name) instanceof SetVariable set)) {
            throw new TemplateException("the capture \"" + name + "\" is a variable of its own (nginx's, or a map's)");
        }
        return set.index();
    }
}
