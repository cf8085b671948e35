package dev.proxyline.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks that no two listen directives claim the same address and port. */
final class ListenChecks {
    private ListenChecks() {}

    static void noDuplicates(List<Listen> listens, ArgReader r) {
        Map<String, Listen> seen = new HashMap<>();
        for (Listen l : listens) {
            Listen first = seen.putIfAbsent(l.bindKey(), l);
            if (first != null) {
                r.errors().add(l.position(), "duplicate listen " + l.bindKey() + " (already used at " + first.position() + ")");
            }
        }
    }
}
