package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
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

        /** The numbered captures a match assigns, as variable names. */
        public static final List<String> NUMBERED = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");

        /** The regex's named groups as written (Java 17 has no API for them); each is the variable of its name. */
        public List<String> namedGroups() {
            List<String> names = new ArrayList<>();
            Matcher m = NAMED_GROUP.matcher(regex.pattern());
            while (m.find()) names.add(m.group(1));
            return names;
        }

        /** The variables a match assigns: {@code 1}..{@code 9}, then the named groups, lower case. */
        public List<String> captureNames() {
            List<String> names = new ArrayList<>(NUMBERED);
            for (String group : namedGroups()) names.add(MapBlock.lowerCaseAscii(group));
            return names;
        }

        private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    }
}
