package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code server} block of the http module. Without {@code listen} it listens on {@code *:80}, as nginx run as root.
 * {@code sets} are its own {@code set} directives, in order.
 */
public record HttpServer(Position position, List<Listen> listens, List<String> serverNames, HttpSettings settings,
                         Optional<HttpAction.Return> serverReturn, List<Location> locations, List<SetRule> sets) {
    public HttpServer {
        sets = List.copyOf(sets);
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(serverReturn, "serverReturn");
        listens = List.copyOf(listens);
        serverNames = List.copyOf(serverNames);
        locations = List.copyOf(locations);
    }
}
