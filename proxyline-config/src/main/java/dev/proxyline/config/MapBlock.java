package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code map SOURCE $variable { ... }} block of {@code http} or {@code stream}: a variable whose value is
 * chosen by matching {@code source} (text with variables) against the entries, as nginx's map modules do.
 *
 * @param position  where the block starts
 * @param source    the text matched, with variables, as written
 * @param variable  the variable the block defines, without {@code $}
 * @param hostnames whether keys may be host name masks ({@code *.example.com}, {@code .example.com}, {@code mail.*})
 * @param fallback  the value when nothing matches ({@code default}); empty means the empty string
 * @param entries   the keys and their values, in file order
 */
public record MapBlock(Position position, Argument source, String variable, boolean hostnames,
                       Optional<Argument> fallback, List<Entry> entries) {
    public MapBlock {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(fallback, "fallback");
        entries = List.copyOf(entries);
    }

    /** One line of the block: what it matches and the value it gives (text with variables, and captures for a regex). */
    public record Entry(Key key, Argument value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** What an entry matches. Strings and masks match ignoring ASCII case, as in nginx (kept in lower case). */
    public sealed interface Key {
        /** The whole source, e.g. {@code example.com}, or the empty string. */
        record Exact(String text) implements Key {}

        /** With {@code hostnames}: {@code *.example.com} is the suffix {@code .example.com}. */
        record Suffix(String suffix) implements Key {}

        /** With {@code hostnames}: {@code mail.*} is the prefix {@code mail.}. */
        record Prefix(String prefix) implements Key {}

        /** {@code ~REGEX}, or {@code ~*REGEX} ignoring case; found anywhere in the source, as nginx's PCRE match. */
        record Regex(String pattern, boolean ignoreCase) implements Key {
            /**
             * The pattern compiled, its group names as {@link NginxRegex} writes them.
             *
             * @throws PatternSyntaxException if it is not a valid expression
             */
            public Pattern compile() {
                return NginxRegex.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            }
        }
    }
}
