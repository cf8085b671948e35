package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/** A {@code server} block of the stream module: where to listen, where to relay, how. */
public record StreamServer(Position position, List<Listen> listens, ProxyTarget proxyPass, StreamSettings settings) {
    public StreamServer {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(proxyPass, "proxyPass");
        Objects.requireNonNull(settings, "settings");
        listens = List.copyOf(listens);
        if (listens.isEmpty()) throw new IllegalArgumentException("a stream server needs a listen");
    }
}
