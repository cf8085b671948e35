package dev.proxyline.server.http.proxy;

import dev.proxyline.config.IfCondition;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.SetVariable;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The condition of an {@code if}, compiled: whether it holds for a request, as nginx's rewrite module decides. */
public sealed interface IfTest {
    /**
     * Whether the condition holds for {@code session}; a regex also writes its captures into {@code setValues}
     * (null for the other conditions, which assign nothing).
     */
    boolean holds(SessionSnapshot session, String[] setValues);

    /** Whether {@link #holds} needs the request's set values. */
    default boolean assigns() {
        return false;
    }

    /** A variable alone: false when its value is empty or {@code "0"}. */
    record Value(Template subject) implements IfTest {
        public Value {
            Objects.requireNonNull(subject, "subject");
        }

        @Override
        public boolean holds(SessionSnapshot session, String[] setValues) {
            String v = subject.render(session);
            return !v.isEmpty() && !v.equals("0");
        }
    }

    /** {@code =} or {@code !=}: the variable against a value with variables, byte for byte. */
    record Compare(Template subject, Template value, boolean equal) implements IfTest {
        public Compare {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean holds(SessionSnapshot session, String[] setValues) {
            return subject.render(session).equals(value.render(session)) == equal;
        }
    }

    /**
     * {@code ~}, {@code ~*}, {@code !~}, {@code !~*}: searched anywhere in the value, as PCRE does. A match assigns
     * {@code $1}..{@code $9} (empty past the regex's groups) and the named groups; a miss empties
     * {@code $1}..{@code $9} and leaves the named groups as they were, as nginx does.
     *
     * @param numbered the set-value slots of {@code $1}..{@code $9}
     * @param named    the slots of the named groups, in the order of {@code groups}
     */
    record Match(Template subject, Pattern regex, boolean negated, int[] numbered, int[] named, String[] groups)
            implements IfTest {
        public Match {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(regex, "regex");
        }

        @Override
        public boolean holds(SessionSnapshot session, String[] setValues) {
            Matcher m = regex.matcher(subject.render(session));
            boolean found = m.find();
            assignNumbered(m, found, numbered, setValues);
            if (found) {
                for (int i = 0; i < named.length; i++) setValues[named[i]] = m.group(groups[i]);
            }
            return found != negated;
        }

        @Override
        public boolean assigns() {
            return true;
        }
    }

    /**
     * Compiles {@code condition}; a regex's captures are variables that {@code set} assigns, in {@code variables}
     * ({@code HttpConfig#allSets}).
     *
     * @throws TemplateException for an unknown variable
     */
    static IfTest compile(IfCondition condition, VariableTable variables) {
        if (condition instanceof IfCondition.Variable v) return new Value(subject(v.name(), variables));
        if (condition instanceof IfCondition.Compare c) {
            return new Compare(subject(c.name(), variables), Template.compile(c.value(), variables), c.equal());
        }
        IfCondition.Match m = (IfCondition.Match) condition;
        List<String> groups = m.namedGroups();
        int[] numbered = captureSlots(variables);
        int[] named = new int[groups.size()];
        for (int i = 0; i < named.length; i++) named[i] = slot(groups.get(i), variables);
        return new Match(subject(m.name(), variables), m.regex(), m.negated(), numbered, named,
                groups.toArray(new String[0]));
    }

    /**
     * The numbered captures after a rewrite-module regex ran: its groups when it matched (none for a regex without
     * groups), nothing when it missed, as nginx.
     */
    static void assignNumbered(Matcher m, boolean found, int[] numbered, String[] setValues) {
        for (int i = 0; i < numbered.length; i++) {
            setValues[numbered[i]] = found && i < m.groupCount() ? m.group(i + 1) : null;
        }
    }

    /** The set-value slots of {@code $1}..{@code $9}; none when no {@code if} has a regex, which alone makes them. */
    static int[] captureSlots(VariableTable variables) {
        if (!(variables.find("1").orElse(null) instanceof SetVariable)) return new int[0];
        int[] numbered = new int[IfCondition.Match.NUMBERED.size()];
        for (int i = 0; i < numbered.length; i++) numbered[i] = slot(IfCondition.Match.NUMBERED.get(i), variables);
        return numbered;
    }

    private static Template subject(String name, VariableTable variables) {
        variables.require(name);
        return Template.compile("$" + name, variables);
    }

    private static int slot(String name, VariableTable variables) {
        if (!(variables.require(name) instanceof SetVariable set)) {
            throw new TemplateException("the capture \"" + name + "\" is a variable of its own (nginx's, or a map's)");
        }
        return set.index();
    }
}
