package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code server} block of the http module. Without {@code listen} it listens on {@code *:80}, as nginx run as root.
 * {@code rewrites} are its own rewrite-module directives ({@code set}, {@code rewrite}, {@code break}), in order.
 */
public record HttpServer(Position position, List<Listen> listens, List<String> serverNames, HttpSettings settings,
                         Optional<HttpAction.Return> serverReturn, List<Location> locations,
                         List<RewriteStep> rewrites) {
    public HttpServer {
        rewrites = List.copyOf(rewrites);
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(serverReturn, "serverReturn");
        listens = List.copyOf(listens);
        serverNames = List.copyOf(serverNames);
        locations = List.copyOf(locations);
    }
}
