package dev.proxyline.server.http.proxy;

import dev.proxyline.config.IfCondition;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
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
     * {@code ~}, {@code ~*}, {@code !~}, {@code !~*}: searched anywhere in the value, as PCRE does; the match assigns
     * its captures ({@link RegexCaptures#assign}).
     */
    record Match(Template subject, Pattern regex, boolean negated, RegexCaptures captures) implements IfTest {
        public Match {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(captures, "captures");
        }

        @Override
        public boolean holds(SessionSnapshot session, String[] setValues) {
            Matcher m = regex.matcher(subject.render(session));
            boolean found = m.find();
            captures.assign(m, found, setValues);
            return found != negated;
        }

        @Override
        public boolean assigns() {
            return true;
        }
    }

    /**
     * Compiles {@code condition}; a regex's captures are variables a match assigns, in {@code variables}
     * ({@code HttpConfig#allCaptures}).
     *
     * @throws TemplateException for an unknown variable
     */
    static IfTest compile(IfCondition condition, VariableTable variables) {
        if (condition instanceof IfCondition.Variable v) return new Value(subject(v.name(), variables));
        if (condition instanceof IfCondition.Compare c) {
            return new Compare(subject(c.name(), variables), Template.compile(c.value(), variables), c.equal());
        }
        IfCondition.Match m = (IfCondition.Match) condition;
        return new Match(subject(m.name(), variables), m.regex(), m.negated(), RegexCaptures.of(m.regex(), variables));
    }

    private static Template subject(String name, VariableTable variables) {
        variables.require(name);
        return Template.compile("$" + name, variables);
    }
}
