package dev.proxyline.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every problem instead of stopping at the first, so one run shows them all (convention 9).
 * Duplicates are dropped because inherited stream-level settings are parsed once per server.
 * Warnings are configurations that load but almost certainly do not do what was meant.
 */
final class Errors {
    private final Set<ConfigError> errors = new LinkedHashSet<>();
    private final Set<ConfigError> warnings = new LinkedHashSet<>();

    void add(Position position, String message) {
        errors.add(ConfigError.at(position, message));
    }

    void warn(Position position, String message) {
        warnings.add(ConfigError.at(position, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /**
     * Errors in source order: files in the order they were first mentioned, then line and column. Checks
     * run per directive kind, so insertion order alone would jump around in the file.
     */
    List<ConfigError> toList() {
        return sorted(errors);
    }

    List<ConfigError> warnings() {
        return sorted(warnings);
    }

    private static List<ConfigError> sorted(Collection<ConfigError> in) {
        Map<String, Integer> fileRank = new HashMap<>();
        for (ConfigError e : in) fileRank.putIfAbsent(e.file(), fileRank.size());
        List<ConfigError> out = new ArrayList<>(in);
        out.sort(Comparator.<ConfigError>comparingInt(e -> fileRank.get(e.file()))
                .thenComparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        return List.copyOf(out);
    }
}
