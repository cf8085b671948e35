package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A variable that a regex's match assigns for the rest of the request, as in nginx: {@code $1}..{@code $9} and each
 * named group (its name, lower case). The regex of a {@code rewrite}, an {@code if}, a regex {@code location} or a
 * {@code map} entry.
 *
 * @param position  where the directive with the regex is
 * @param variable  the name without {@code $}, lower case
 * @param directive the directive's name ({@code rewrite}, {@code if}, {@code location}, {@code map}), for messages
 */
public record CaptureVariable(Position position, String variable, String directive) {
    /** The numbered captures a match assigns, as variable names. */
    public static final List<String> NUMBERED = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");

    public CaptureVariable {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(directive, "directive");
    }

    /** The variables {@code regex}'s match assigns: {@code 1}..{@code 9}, then its named groups. */
    static void addAll(Position position, Pattern regex, String directive, List<CaptureVariable> out) {
        for (String name : NUMBERED) out.add(new CaptureVariable(position, name, directive));
        for (String group : NginxRegex.groupNames(regex)) {
            out.add(new CaptureVariable(position, Ascii.lowerCase(group), directive));
        }
    }
}
