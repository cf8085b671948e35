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
    private static final String[] ALWAYS = {"connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"};
    private static final HopByHop NONE_NAMED = new HopByHop(Set.of());

    private final Set<String> named;

    private HopByHop(Set<String> named) {
        this.named = named;
    }

    /** The hop-by-hop set of a message whose {@code Connection} fields are {@code connectionValues}. */
    public static HopByHop of(List<String> connectionValues) {
        if (connectionValues.isEmpty()) return NONE_NAMED;
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
    public boolean drops(CharSequence name) {
        // Compared in place: lower-casing every relayed field's name cost an allocation per field.
        for (String always : ALWAYS) if (equalsIgnoreAsciiCase(always, name)) return true;
        return !named.isEmpty() && named.contains(name.toString().toLowerCase(Locale.ROOT));
    }

    private static boolean equalsIgnoreAsciiCase(String lower, CharSequence name) {
        if (lower.length() != name.length()) return false;
        for (int i = 0; i < lower.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') c = (char) (c + ('a' - 'A'));
            if (c != lower.charAt(i)) return false;
        }
        return true;
    }

    /** Whether {@code Connection} carries {@code token} (ignoring case), e.g. {@code close} or {@code upgrade}. */
    public boolean names(String token) {
        return named.contains(token.toLowerCase(Locale.ROOT));
    }
}
