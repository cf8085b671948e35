package dev.proxyline.config;

import java.util.Objects;

/** {@code break}: the rewrite-module directives after it in the block are not run. */
public record BreakRule(Position position) implements RewriteStep {
    public BreakRule {
        Objects.requireNonNull(position, "position");
    }
}
