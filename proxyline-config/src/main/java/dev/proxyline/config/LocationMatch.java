package dev.proxyline.config;

import java.util.Objects;

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
}
