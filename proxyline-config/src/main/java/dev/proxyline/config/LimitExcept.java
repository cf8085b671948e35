package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * nginx's {@code limit_except METHOD ... { ... }} in a location: a request whose method is not listed is served under
 * the block, whose settings are the location's merged with the block's own ({@code allow}, {@code deny},
 * {@code auth_basic}, {@code auth_basic_user_file}, {@code access_log}, {@code proxy_pass}), as nginx merges a block's
 * configuration with its location's. As in nginx, the location's rewrite-module directives ({@code return},
 * {@code rewrite}, {@code set}, {@code if}) do not run for such a request: nginx does not merge them into the block.
 *
 * @param position where the block starts
 * @param methods  the listed methods, upper case, with {@code HEAD} where {@code GET} is listed (nginx's rule)
 * @param settings the location's settings with the block's own merged in
 * @param action   the block's own {@code proxy_pass}; empty where the location's {@code proxy_pass} serves
 */
public record LimitExcept(Position position, Set<String> methods, HttpSettings settings, Optional<HttpAction> action) {
    public LimitExcept {
        Objects.requireNonNull(position, "position");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(action, "action");
    }
}
