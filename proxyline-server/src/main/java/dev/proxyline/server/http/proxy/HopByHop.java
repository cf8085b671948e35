package dev.proxyline.server.http.proxy;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The hop-by-hop header fields of RFC 9110 section 7.6.1: they describe one connection and are never
 * relayed, together with every field the {@code Connection} header names.
 */
public final class HopByHop {
    private static final String[] ALWAYS = {"connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"};
    /** The fields that are hop-by-hop whatever a {@code Connection} header says. */
    public static final HopByHop ALWAYS_ONLY = new HopByHop(new String[0]);
    // Nearly every message says one of these; they are parsed once, not per message.
    private static final HopByHop KEEP_ALIVE = new HopByHop(new String[] {"keep-alive"});
    private static final HopByHop CLOSE = new HopByHop(new String[] {"close"});

    /** Lower-case tokens; a handful at most, so a scan beats hashing a lower-cased copy of each name. */
    private final String[] named;

    private HopByHop(String[] named) {
        this.named = named;
    }

    /** The hop-by-hop set of a message whose {@code Connection} fields are {@code connectionValues}. */
    public static HopByHop of(List<String> connectionValues) {
        return of(connectionValues.iterator());
    }

    /**
     * {@link #of(List)} over the {@code Connection} values as a header map hands them out: nearly every
     * message has one such field, and {@code keep-alive} or {@code close} in it is answered without parsing.
     */
    public static HopByHop of(Iterator<? extends CharSequence> connectionValues) {
        if (!connectionValues.hasNext()) return ALWAYS_ONLY;
        String value = connectionValues.next().toString();
        if (!connectionValues.hasNext()) {
            if (value.equalsIgnoreCase("keep-alive")) return KEEP_ALIVE;
            if (value.equalsIgnoreCase("close")) return CLOSE;
        }
        String[] tokens = new String[4];
        int n = 0;
        while (true) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String t = value.substring(start, end).trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    if (n == tokens.length) tokens = Arrays.copyOf(tokens, n * 2);
                    tokens[n++] = t;
                }
                start = end + 1;
            }
            if (!connectionValues.hasNext()) break;
            value = connectionValues.next().toString();
        }
        return new HopByHop(Arrays.copyOf(tokens, n));
    }

    /** Whether the field {@code name} must not be relayed. */
    public boolean drops(CharSequence name) {
        // Compared in place: lower-casing every relayed field's name cost an allocation per field.
        for (String always : ALWAYS) if (equalsIgnoreAsciiCase(always, name)) return true;
        for (String token : named) if (equalsIgnoreAsciiCase(token, name)) return true;
        return false;
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
        for (String t : named) if (t.equalsIgnoreCase(token)) return true;
        return false;
    }
}
