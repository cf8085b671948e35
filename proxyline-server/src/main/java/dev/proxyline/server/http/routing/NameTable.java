package dev.proxyline.server.http.routing;

import dev.proxyline.config.Ascii;
import java.util.Arrays;

/**
 * An open-addressing map from lower-case names to small ints that is probed with a region of a string,
 * folding ASCII case on the fly, so a Host header is looked up without building a normalised copy.
 */
final class NameTable {
    private static final int NONE = -1;
    private final String[] keys;
    private final int[] values;
    private final int mask;
    private final boolean empty;

    /** {@code names[i]} maps to {@code values[i]}; the first of equal names wins, as nginx keeps the first server. */
    NameTable(String[] names, int[] vals) {
        int cap = Integer.highestOneBit(Math.max(4, names.length * 2 + 1)) << 1;
        keys = new String[cap];
        values = new int[cap];
        Arrays.fill(values, NONE);
        mask = cap - 1;
        empty = names.length == 0;
        for (int i = 0; i < names.length; i++) {
            String k = names[i];
            int slot = hash(k, 0, k.length()) & mask;
            while (keys[slot] != null && !keys[slot].equals(k)) slot = (slot + 1) & mask;
            if (keys[slot] == null) {
                keys[slot] = k;
                values[slot] = vals[i];
            }
        }
    }

    /** Whether no name maps to anything: a lookup would always miss. */
    boolean isEmpty() {
        return empty;
    }

    /** The value for {@code s[from, to)} compared without ASCII case, or -1. */
    int get(String s, int from, int to) {
        int slot = hash(s, from, to) & mask;
        for (String k; (k = keys[slot]) != null; slot = (slot + 1) & mask) {
            if (k.length() == to - from && regionEquals(k, s, from)) return values[slot];
        }
        return NONE;
    }

    private static boolean regionEquals(String lowerKey, String s, int from) {
        for (int i = 0; i < lowerKey.length(); i++) {
            if (lowerKey.charAt(i) != Ascii.lower(s.charAt(from + i))) return false;
        }
        return true;
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + Ascii.lower(s.charAt(i));
        return h ^ (h >>> 16);
    }

}
