package dev.proxyline.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code rewrite REGEX REPLACEMENT [last|break|redirect|permanent]}: when REGEX matches the request's URI ({@code $uri}),
 * the URI becomes REPLACEMENT (with variables and the regex's captures), or the request is redirected there.
 *
 * @param regex       the expression, compiled (Java's syntax, group names as {@link NginxRegex} reads them)
 * @param replacement the new URI, optionally with arguments after {@code ?}, as written
 */
public record RewriteRule(Position position, Pattern regex, String replacement, Flag flag) implements RewriteStep {
    /** What happens after a match. */
    public enum Flag {
        /** No flag: the next rewrite-module directives run, then the location is searched again if the URI changed. */
        NONE,
        /** The block's remaining directives are skipped and the location is searched again for the new URI. */
        LAST,
        /** The block's remaining directives are skipped and the request stays in this location. */
        BREAK,
        /** A 302 redirect to the replacement. */
        REDIRECT,
        /** A 301 redirect to the replacement. */
        PERMANENT
    }

    public RewriteRule {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(flag, "flag");
    }

    /**
     * A replacement that names a scheme is a redirect even without a flag, as in nginx.
     */
    public boolean redirects() {
        return flag == Flag.REDIRECT || flag == Flag.PERMANENT || replacement.startsWith("http://")
                || replacement.startsWith("https://") || replacement.startsWith("$scheme");
    }

    /** The redirect's status: 301 for {@code permanent}, else 302. */
    public int redirectStatus() {
        return flag == Flag.PERMANENT ? 301 : 302;
    }
}
