package dev.proxyline.server.http.proxy;

import java.util.Objects;
import java.util.Set;

/**
 * A location's {@code limit_except}, compiled: a request whose method the block lists is served by the location's
 * plan, any other (an unknown method too) by the block's, as nginx switches a request to the block's configuration
 * when it finds the location.
 *
 * @param methods the listed methods, upper case ({@code HEAD} with {@code GET})
 * @param plan    the block's plan
 */
public record LimitExceptPlan(Set<String> methods, LocationPlan plan) {
    public LimitExceptPlan {
        methods = Set.copyOf(methods);
        Objects.requireNonNull(plan, "plan");
    }

    /** @param location the plan of the block's location */
    LocationPlan choose(String method, LocationPlan location) {
        return methods.contains(method) ? location : plan;
    }
}
