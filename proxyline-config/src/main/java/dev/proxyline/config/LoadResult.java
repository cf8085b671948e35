package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * Either the validated configuration or every error found; never both, never an exception. Warnings
 * (same {@code file:line:column: message} shape) flag settings that load but are almost certainly
 * mistakes, such as {@code real_ip_header proxy_protocol} on a server whose listeners expect no PROXY header.
 */
public sealed interface LoadResult {
    record Loaded(ProxylineConfig config, List<ConfigError> warnings) implements LoadResult {
        public Loaded {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    record Failed(List<ConfigError> errors, List<ConfigError> warnings) implements LoadResult {
        public Failed {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            if (errors.isEmpty()) throw new IllegalArgumentException("a failure needs at least one error");
        }
    }

    default boolean ok() {
        return this instanceof Loaded;
    }

    /** The errors, empty when loaded. */
    default List<ConfigError> errors() {
        return this instanceof Failed f ? f.errors() : List.of();
    }

    List<ConfigError> warnings();
}
