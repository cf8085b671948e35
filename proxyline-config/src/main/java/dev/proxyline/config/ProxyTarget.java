package dev.proxyline.config;

import java.util.Objects;

/**
 * What {@code proxy_pass} points at: a named upstream group, one endpoint, or (stream only) a value with
 * variables that names either once expanded for a session.
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
     * A stream {@code proxy_pass} with variables: expanded per session, the value names an upstream of the
     * {@code stream} block, or is {@code ADDR:PORT} or {@code unix:PATH} (nginx's rule).
     *
     * @param template the value as written
     * @param position where it is written, for messages about its variables
     */
    record Computed(String template, Position position) implements ProxyTarget {
        public Computed {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(position, "position");
        }
    }
}
