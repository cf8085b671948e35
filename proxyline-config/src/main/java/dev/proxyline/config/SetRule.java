package dev.proxyline.config;

import java.util.Objects;

/**
 * {@code set $VARIABLE VALUE}: nginx's rewrite-module assignment, run in order when a request reaches its server
 * (server level) or its location (location level; not inherited by nested locations, as in nginx).
 *
 * @param position where the directive is
 * @param variable the name without {@code $}, lower case
 * @param value    the text with variables, as written
 */
public record SetRule(Position position, String variable, String value) implements RewriteStep {
    public SetRule {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(value, "value");
    }
}
