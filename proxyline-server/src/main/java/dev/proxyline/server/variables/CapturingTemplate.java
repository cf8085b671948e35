package dev.proxyline.server.variables;

import dev.proxyline.config.NginxRegex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with variables and the captures of one regex ({@code $1}..{@code $9}, or a named group as {@code $name} or
 * {@code ${name}}; as in nginx, {@code ${1}} is a variable named "1", which does not exist): a {@code map} entry's
 * value, the replacement of a {@code rewrite}.
 */
public final class CapturingTemplate {
    private sealed interface Part permits Text, Capture {}

    private record Text(Template template) implements Part {}

    /** A numbered ({@code name} empty) or named group of the entry's regex, named as Java knows it. */
    private record Capture(int group, String name) implements Part {}

    private final Part[] parts;

    private CapturingTemplate(List<Part> parts) {
        this.parts = parts.toArray(new Part[0]);
    }

    /**
     * Compiles {@code text}; {@code groups} is the named groups of the entry's regex, {@code captures} whether the
     * entry is a regex at all (elsewhere {@code $1} is an unknown variable, as proxyline keeps no request-wide captures).
     *
     * @throws TemplateException for an unknown variable or a malformed reference
     */
    static CapturingTemplate compile(String text, VariableTable table, boolean captures, Set<String> groups) {
        List<Part> parts = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int end = captures ? captureEnd(text, i, groups) : -1;
            if (end < 0) {
                chunk.append(text.charAt(i++));
                continue;
            }
            if (chunk.length() > 0) {
                parts.add(new Text(Template.compile(chunk.toString(), table)));
                chunk.setLength(0);
            }
            String reference = text.substring(text.charAt(i + 1) == '{' ? i + 2 : i + 1,
                    text.charAt(end - 1) == '}' ? end - 1 : end);
            parts.add(Character.isDigit(reference.charAt(0))
                    ? new Capture(reference.charAt(0) - '0', "") : new Capture(0, NginxRegex.javaName(reference)));
            i = end;
        }
        if (chunk.length() > 0) {
            parts.add(new Text(Template.compile(chunk.toString(), table)));
        }
        return new CapturingTemplate(parts);
    }

    /**
     * Compiles {@code text}, which may use {@code regex}'s captures.
     *
     * @throws TemplateException for an unknown variable or a malformed reference
     */
    public static CapturingTemplate compile(String text, VariableTable table, Pattern regex) {
        return compile(text, table, true, namedGroups(regex));
    }

    /** The names of {@code regex}'s named groups, as written. */
    static Set<String> namedGroups(Pattern regex) {
        return Set.copyOf(NginxRegex.groupNames(regex));
    }

    /** Where a capture reference starting at {@code i} ends, or -1 if none starts there. */
    private static int captureEnd(String text, int i, Set<String> groups) {
        if (text.charAt(i) != '$' || i + 1 >= text.length()) {
            return -1;
        }
        char first = text.charAt(i + 1);
        if (first >= '1' && first <= '9') {
            return i + 2; // $1abc is capture 1 and "abc", as in nginx
        }
        boolean bracket = first == '{';
        int start = bracket ? i + 2 : i + 1;
        int end = start;
        while (end < text.length() && isNameChar(text.charAt(end))) {
            end++;
        }
        if (end == start || !groups.contains(text.substring(start, end))) {
            return -1;
        }
        if (bracket) {
            return end < text.length() && text.charAt(end) == '}' ? end + 1 : -1;
        }
        return end;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** Appends the value; {@code match} is the regex's successful match, or null for a map key that is no regex. */
    public void render(SessionSnapshot session, Matcher match, StringBuilder out) {
        for (Part part : parts) {
            if (part instanceof Text text) {
                text.template().render(session, out);
            } else if (match != null) {
                Capture capture = (Capture) part;
                String value = capture.name().isEmpty()
                        ? (capture.group() <= match.groupCount() ? match.group(capture.group()) : null)
                        : match.group(capture.name());
                if (value != null) {
                    out.append(value);
                }
            }
        }
    }

    /** The templates of its text, for finding which variables it uses. */
    List<Template> templates() {
        List<Template> templates = new ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Text text) {
                templates.add(text.template());
            }
        }
        return templates;
    }
}
