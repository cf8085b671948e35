package dev.proxyline.server.tls;

import dev.proxyline.config.Position;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A PEM file named by a directive, kept with where it was named so that a startup problem can say
 * {@code file:line:column}.
 *
 * @param path      the file, resolved against the configuration directory
 * @param directive {@code ssl_certificate} or {@code ssl_certificate_key}
 * @param position  where the directive named it; empty for the development certificate
 */
public record PemFile(Path path, String directive, Optional<Position> position) {
    public PemFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(directive, "directive");
        Objects.requireNonNull(position, "position");
    }

    /** {@code test.conf:8:21: "ssl_certificate" file /etc/site.crt: } then {@code problem}. */
    String problem(String problem) {
        return position.map(p -> p + ": ").orElse("") + "\"" + directive + "\" file " + path + ": " + problem;
    }
}
