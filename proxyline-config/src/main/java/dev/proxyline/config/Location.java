package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code location} block with its merged settings, its action (if any), nested locations, and its own rewrite-module
 * directives ({@code set}, {@code rewrite}, {@code break}) in order, and its {@code limit_except} block, if any.
 */
public record Location(Position position, LocationMatch match, HttpSettings settings, Optional<HttpAction> action,
                       List<Location> locations, List<RewriteStep> rewrites, Optional<LimitExcept> limitExcept) {
    public Location {
        rewrites = List.copyOf(rewrites);
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(action, "action");
        locations = List.copyOf(locations);
        Objects.requireNonNull(limitExcept, "limitExcept");
    }
}
