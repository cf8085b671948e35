package dev.proxyline.config;

import java.util.LinkedHashSet;
import java.util.Set;

/** The TLS versions of {@code ssl_protocols} and {@code proxy_ssl_protocols}, read the same way for both. */
final class TlsVersions {
    private static final Set<String> NAMES = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private TlsVersions() {
    }

    /** The versions {@code d} names, in its order; {@code fallback} when none is valid (each bad one is reported). */
    static Set<String> read(ArgReader r, Directive d, Set<String> fallback) {
        Set<String> out = new LinkedHashSet<>();
        for (Argument a : d.args()) {
            if (NAMES.contains(a.value())) {
                out.add(a.value());
            } else if (a.value().startsWith("SSLv")) {
                r.error(a, "\"" + a.value() + "\" is not supported (insecure and absent from the TLS stacks)");
            } else {
                r.error(a, "invalid value \"" + a.value() + "\" in \"" + d.name()
                        + "\" directive (expected TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)");
            }
        }
        return out.isEmpty() ? fallback : out;
    }
}
