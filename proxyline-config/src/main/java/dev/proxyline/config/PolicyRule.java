package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code proxy_protocol_policy MODE [from CIDR...]}: what to do about a PROXY header from the given
 * sources (all sources when {@code from} is empty). Rules are kept in order; the runtime uses the first match.
 */
public record PolicyRule(Mode mode, List<Cidr> from) {
    public enum Mode {
        /** The header must be present; connections without one are closed. */
        REQUIRE,
        /** Use the header if present, otherwise the socket address. */
        OPTIONAL,
        /** Read and strip a header if present but do not trust it. */
        IGNORE,
        /** A header from these sources is an error; the connection is closed. */
        REJECT
    }

    public PolicyRule {
        Objects.requireNonNull(mode, "mode");
        from = List.copyOf(from);
    }
}
