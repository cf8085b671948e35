package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code if (CONDITION) { ... }} in a server or location: when the condition holds, its rewrite-module directives
 * ({@code set}, {@code rewrite}, {@code break}, and where its {@code return} stands) run in order, as part of the
 * enclosing block's; a {@code break}, a {@code rewrite ... last|break} or a {@code return} inside ends the enclosing
 * block's directives too, as in nginx.
 *
 * @param steps the body's directives, in order, with a {@link ReturnMarker} where {@code ret} stands
 * @param ret   the body's {@code return}, if it has one
 */
public record IfRule(Position position, IfCondition condition, List<RewriteStep> steps,
                     Optional<HttpAction.Return> ret) implements RewriteStep {
    public IfRule {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(condition, "condition");
        steps = List.copyOf(steps);
        Objects.requireNonNull(ret, "ret");
    }
}
