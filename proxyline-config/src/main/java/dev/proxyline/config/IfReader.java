package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the condition of an {@code if} as nginx's rewrite module does: the arguments are the words between the
 * parentheses, which may stand alone ({@code ( $a )}) or touch the first and last word ({@code ($a = /)}); a
 * quoted regex may be followed directly by {@code )}, which the lexer gives as a word of its own.
 */
final class IfReader {
    private final ArgReader r;

    IfReader(ArgReader r) {
        this.r = r;
    }

    Optional<IfCondition> condition(Directive d) {
        List<Argument> args = d.args();
        List<String> words = new ArrayList<>(args.stream().map(Argument::value).toList());
        if (!words.get(0).startsWith("(")) return invalid(args.get(0), words.get(0));
        int cur = 0;
        if (words.get(0).equals("(")) {
            cur = 1;
        } else {
            words.set(0, words.get(0).substring(1));
        }
        int last = words.size() - 1;
        String end = words.get(last);
        if (!end.endsWith(")")) return invalid(args.get(last), end);
        if (end.equals(")")) {
            last--;
        } else {
            words.set(last, end.substring(0, end.length() - 1));
        }
        if (last < cur) return invalid(args.get(Math.min(cur, args.size() - 1)), ")");
        String subject = words.get(cur);
        Argument at = args.get(cur);
        if (subject.length() > 1 && subject.charAt(0) == '$') {
            if (cur != last && cur + 2 != last) return invalid(at, subject);
            String name = subject.substring(1);
            if (!name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) return invalid(at, subject);
            String variable = Ascii.lowerCase(name);
            if (cur == last) return Optional.of(new IfCondition.Variable(variable));
            Argument operator = args.get(cur + 1);
            String value = words.get(last);
            switch (operator.value()) {
                case "=", "!=" -> {
                    return Optional.of(new IfCondition.Compare(variable, operator.value().equals("="), value));
                }
                case "~", "~*", "!~", "!~*" -> {
                    return regex(args.get(last), value, operator.value())
                            .map(p -> new IfCondition.Match(variable, p, operator.value().startsWith("!")));
                }
                default -> {
                    r.error(operator, "unexpected \"" + operator.value() + "\" in condition");
                    return Optional.empty();
                }
            }
        }
        if (FILE_TESTS.contains(subject) && cur + 1 == last) {
            r.error(at, "\"" + subject + "\" in \"if\" is not supported by proxyline (it serves no files, so it has "
                    + "none to check)");
            return Optional.empty();
        }
        return invalid(at, subject);
    }

    private static final List<String> FILE_TESTS = List.of("-f", "!-f", "-d", "!-d", "-e", "!-e", "-x", "!-x");

    private Optional<Pattern> regex(Argument at, String text, String operator) {
        try {
            return Optional.of(NginxRegex.compile(text, operator.endsWith("*") ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
            r.error(at, "invalid regex \"" + text + "\" in \"if\": " + e.getDescription());
            return Optional.empty();
        }
    }

    private Optional<IfCondition> invalid(Argument at, String text) {
        r.error(at, "invalid condition \"" + text + "\"");
        return Optional.empty();
    }
}
