package dev.proxyline.server.http.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hop-by-hop header fields of RFC 9110 section 7.6.1: they describe one connection and are never
 * relayed, together with every field the {@code Connection} header names.
 */
public final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

    private final Set<String> named;

    private HopByHop(Set<String> named) {
        this.named = named;
    }

    /** The hop-by-hop set of a message whose {@code Connection} fields are {@code connectionValues}. */
    public static HopByHop of(List<String> connectionValues) {
        Set<String> named = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) named.add(t);
            }
        }
        return new HopByHop(named);
    }

    /** Whether the field {@code name} must not be relayed. */
    public boolean drops(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(lower) || named.contains(lower);
    }

    /** Whether {@code Connection} carries {@code token} (ignoring case), e.g. {@code close} or {@code upgrade}. */
    public boolean names(String token) {
        return named.contains(token.toLowerCase(Locale.ROOT));
    }
}
