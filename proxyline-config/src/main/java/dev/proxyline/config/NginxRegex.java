package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's regexes (PCRE's syntax) read by {@code java.util.regex}, for {@code location}, {@code rewrite}, {@code if}
 * and {@code map}. The two differ in how groups are named: PCRE takes {@code (?<name>...)}, {@code (?'name'...)} and
 * {@code (?P<name>...)} with letters, digits and {@code _}, and refers back with {@code \k<name>}, {@code \k'name'},
 * {@code \k{name}}, {@code \g{name}} and {@code (?P=name)}; Java takes only {@code (?<name>...)} and {@code \k<name>},
 * and no {@code _} in a name. So every group name is written in Java's alphabet when compiling: {@code z} becomes
 * {@code z1} and {@code _} becomes {@code z0}, which can be read back ({@link #groupNames}) and never makes two names
 * one. The regex's variables ({@code $my_name}) keep the name as written.
 */
public final class NginxRegex {
    private NginxRegex() {}

    /**
     * {@code regex} compiled with its group names in Java's alphabet.
     *
     * @throws PatternSyntaxException if it is not a valid expression
     */
    public static Pattern compile(String regex, int flags) {
        return Pattern.compile(scan(regex, NginxRegex::javaName, new ArrayList<>()), flags);
    }

    /** The names of {@code regex}'s named groups as written in the configuration, in the order they open. */
    public static List<String> groupNames(Pattern regex) {
        List<String> names = new ArrayList<>();
        scan(regex.pattern(), UnaryOperator.identity(), names);
        names.replaceAll(NginxRegex::writtenName);
        return List.copyOf(names);
    }

    /** The name Java knows the group written {@code name} by ({@link java.util.regex.Matcher#group(String)}). */
    public static String javaName(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 'z') {
                out.append("z1");
            } else if (c == '_') {
                out.append("z0");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String writtenName(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length());
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (c == 'z' && i + 1 < javaName.length()) {
                out.append(javaName.charAt(++i) == '0' ? '_' : 'z');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Copies {@code regex} with every group name and back reference in Java's form, each name passed through
     * {@code rename}, and adds the names of the groups to {@code names} (as they were before {@code rename}).
     * Escapes and character classes are copied as they are.
     */
    private static String scan(String regex, UnaryOperator<String> rename, List<String> names) {
        StringBuilder out = new StringBuilder(regex.length() + 8);
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < n) {
                int end = backReferenceEnd(regex, i);
                if (end > 0) {
                    String name = regex.substring(i + 3, end - 1);
                    out.append("\\k<").append(rename.apply(name)).append('>');
                    i = end;
                } else {
                    out.append(c).append(regex.charAt(i + 1));
                    i += 2;
                }
            } else if (c == '[') {
                int end = classEnd(regex, i);
                out.append(regex, i, end);
                i = end;
            } else if (regex.startsWith("(?P=", i) && nameEnd(regex, i + 4) > i + 4
                    && nameEnd(regex, i + 4) < n && regex.charAt(nameEnd(regex, i + 4)) == ')') {
                int end = nameEnd(regex, i + 4);
                out.append("\\k<").append(rename.apply(regex.substring(i + 4, end))).append('>');
                i = end + 1;
            } else if (c == '(' && groupNameStart(regex, i) > 0) {
                int start = groupNameStart(regex, i);
                int end = nameEnd(regex, start);
                char close = regex.charAt(start - 1) == '\'' ? '\'' : '>';
                if (end > start && end < n && regex.charAt(end) == close) {
                    String name = regex.substring(start, end);
                    names.add(name);
                    out.append("(?<").append(rename.apply(name)).append('>');
                    i = end + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the name of a named group opening at {@code i} starts ({@code (?<}, {@code (?'}, {@code (?P<}); else 0. */
    private static int groupNameStart(String regex, int i) {
        int start;
        if (regex.startsWith("(?P<", i)) {
            start = i + 4;
        } else if (regex.startsWith("(?<", i) || regex.startsWith("(?'", i)) {
            start = i + 3;
        } else {
            return 0;
        }
        // (?<= and (?<! are lookbehinds, not names.
        return start < regex.length() && isNameStart(regex.charAt(start)) ? start : 0;
    }

    /**
     * The end (after the closing bracket) of a named back reference at {@code i} ({@code \k<name>}, {@code \k'name'},
     * {@code \k{name}}, {@code \g{name}} with a name, not a number), else -1.
     */
    private static int backReferenceEnd(String regex, int i) {
        if (i + 3 >= regex.length()) return -1;
        char kind = regex.charAt(i + 1);
        char open = regex.charAt(i + 2);
        char close;
        if (kind == 'k' && open == '<') {
            close = '>';
        } else if (kind == 'k' && open == '\'') {
            close = '\'';
        } else if ((kind == 'k' || kind == 'g') && open == '{') {
            close = '}';
        } else {
            return -1;
        }
        if (!isNameStart(regex.charAt(i + 3))) return -1;
        int end = nameEnd(regex, i + 3);
        return end < regex.length() && regex.charAt(end) == close ? end + 1 : -1;
    }

    /** The end of the character class opening at {@code i}, after its {@code ]} (a first {@code ]} is a member). */
    private static int classEnd(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') j++;
        if (j < regex.length() && regex.charAt(j) == ']') j++;
        while (j < regex.length() && regex.charAt(j) != ']') {
            j += regex.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, regex.length());
    }

    private static int nameEnd(String regex, int start) {
        int end = start;
        while (end < regex.length() && isNameChar(regex.charAt(end))) end++;
        return end;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
