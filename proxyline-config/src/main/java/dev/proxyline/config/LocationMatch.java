package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code location [=|^~|~|~*] PATTERN} or {@code location @name}. Regexes are checked with java.util.regex. */
public record LocationMatch(Modifier modifier, String pattern) {
    public enum Modifier {
        /** no modifier: longest prefix. */
        PREFIX,
        /** {@code =}: exact match. */
        EXACT,
        /** {@code ^~}: prefix that, when longest, skips regex locations. */
        PREFIX_NO_REGEX,
        /** {@code ~}: case-sensitive regex. */
        REGEX,
        /** {@code ~*}: case-insensitive regex. */
        REGEX_CASELESS,
        /** {@code @name}: only reachable internally. */
        NAMED
    }

    public LocationMatch {
        Objects.requireNonNull(modifier, "modifier");
        Objects.requireNonNull(pattern, "pattern");
    }

    /**
     * The pattern of {@code ~} ({@code ~*} ignoring ASCII case, as PCRE's caseless without UTF) compiled as
     * {@link NginxRegex} reads it; empty for the other kinds.
     */
    public Optional<Pattern> regex() {
        return switch (modifier) {
            case REGEX -> Optional.of(NginxRegex.compile(pattern, 0));
            case REGEX_CASELESS -> Optional.of(NginxRegex.compile(pattern, Pattern.CASE_INSENSITIVE));
            default -> Optional.empty();
        };
    }
}
