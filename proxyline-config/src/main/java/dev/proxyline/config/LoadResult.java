package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/** Either the validated configuration or every error found; never both, never an exception. */
public sealed interface LoadResult {
    record Loaded(ProxylineConfig config) implements LoadResult {
        public Loaded {
            Objects.requireNonNull(config, "config");
        }
    }

    record Failed(List<ConfigError> errors) implements LoadResult {
        public Failed {
            errors = List.copyOf(errors);
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
}
