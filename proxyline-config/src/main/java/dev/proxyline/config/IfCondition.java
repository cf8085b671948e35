package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The condition of an {@code if}. Variables are named without {@code $}, in lower case, as {@code set}'s.
 */
public sealed interface IfCondition {
    /** {@code ($name)}: holds unless the value is empty or {@code "0"}. */
    record Variable(String name) implements IfCondition {
        public Variable {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code ($name = VALUE)} or {@code ($name != VALUE)}: the variable compared with a value that may hold variables.
     *
     * @param value the text with variables, as written
     */
    record Compare(String name, boolean equal, String value) implements IfCondition {
        public Compare {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code ($name ~ REGEX)}, {@code ~*} (case-insensitive), and the negations {@code !~}, {@code !~*}: a match
     * makes the regex's captures the request's {@code $1}..{@code $9} and named-group variables.
     */
    record Match(String name, Pattern regex, boolean negated) implements IfCondition {
        public Match {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(regex, "regex");
        }

        /** The regex's named groups as written; each is the variable of its name. */
        public List<String> namedGroups() {
            return NginxRegex.groupNames(regex);
        }
    }
}
