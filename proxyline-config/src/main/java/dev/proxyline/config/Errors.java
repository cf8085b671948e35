package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem instead of stopping at the first, so one run shows them all (convention 9).
 * Duplicates are dropped because inherited stream-level settings are parsed once per server.
 */
final class Errors {
    private final Set<ConfigError> errors = new LinkedHashSet<>();

    void add(Position position, String message) {
        errors.add(ConfigError.at(position, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    List<ConfigError> toList() {
        return List.copyOf(new ArrayList<>(errors));
    }
}
