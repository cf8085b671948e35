package dev.proxyline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Map.copyOf loses order; config maps keep file order so that output and diagnostics are stable. */
final class OrderedMaps {
    private OrderedMaps() {}

    static <K, V> Map<K, V> copy(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
