package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code proxy_pass} points at: a named upstream group, one endpoint, or a value with variables that names
 * either once expanded for a session or request.
 */
public sealed interface ProxyTarget {
    record UpstreamRef(String name) implements ProxyTarget {
        public UpstreamRef {
            Objects.requireNonNull(name, "name");
        }
    }

    record Direct(Endpoint endpoint) implements ProxyTarget {
        public Direct {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * A {@code proxy_pass} with variables, expanded per session (stream) or request (http). In stream the value names
     * an upstream of the {@code stream} block, or is {@code ADDR:PORT} or {@code unix:PATH}; in http it is a whole
     * URL whose host names an upstream group or an address (nginx's rules). Other names are looked up with
     * {@code resolver}.
     *
     * @param template the value as written
     * @param position where it is written, for messages about its variables
     * @param resolver the {@code resolver} in force where it is written, if any
     */
    record Computed(String template, Position position, Optional<Resolver> resolver) implements ProxyTarget {
        public Computed {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(resolver, "resolver");
        }
    }
}
