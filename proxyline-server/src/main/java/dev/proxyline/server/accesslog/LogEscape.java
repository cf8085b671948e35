package dev.proxyline.server.accesslog;

import dev.proxyline.config.LogFormat;

/**
 * {@code log_format ... escape=default|json|none}: how variable values are written into a line.
 * Literal text of the format is never escaped, as in nginx. Values are byte strings (one char per
 * byte), so the rules below are nginx's byte rules.
 */
public enum LogEscape {
    /**
     * {@code "}, {@code \}, bytes below 0x20 and from 0x7F up become {@code \xXX} (upper-case hex);
     * a variable that is not found is written as {@code -}.
     */
    DEFAULT {
        @Override
        boolean needsEscape(char c) {
            return c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
        }

        @Override
        void escape(StringBuilder out, char c) {
            out.append('\\').append('x').append(UPPER_HEX[(c >> 4) & 0xF]).append(UPPER_HEX[c & 0xF]);
        }
    },
    /**
     * JSON string escaping as nginx does it: {@code \"}, {@code \\}, {@code \n \r \t \b \f}, other
     * bytes below 0x20 as <code>&#92;u00XX</code> (upper-case hex, as nginx); bytes from 0x80 up pass unchanged (they are UTF-8). A
     * variable that is not found is written as nothing.
     */
    JSON {
        @Override
        boolean needsEscape(char c) {
            return c < 0x20 || c == '"' || c == '\\';
        }

        @Override
        void escape(StringBuilder out, char c) {
            out.append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\n' -> out.append('n');
                case '\r' -> out.append('r');
                case '\t' -> out.append('t');
                case '\b' -> out.append('b');
                case '\f' -> out.append('f');
                default -> out.append("u00").append(UPPER_HEX[(c >> 4) & 0xF]).append(UPPER_HEX[c & 0xF]);
            }
        }
    },
    /** Values are written as they are; a variable that is not found is written as nothing. */
    NONE {
        @Override
        boolean needsEscape(char c) {
            return false;
        }

        @Override
        void escape(StringBuilder out, char c) {
            out.append(c);
        }
    };

    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    /** The escaping a configuration {@code log_format} asked for. */
    public static LogEscape of(LogFormat.Escape escape) {
        return switch (escape) {
            case DEFAULT -> DEFAULT;
            case JSON -> JSON;
            case NONE -> NONE;
        };
    }

    abstract boolean needsEscape(char c);

    abstract void escape(StringBuilder out, char c);

    /**
     * Escapes, in place, what was appended to {@code out} since {@code start}. Values rarely need
     * escaping, so the usual cost is one scan and no allocation.
     */
    void escapeFrom(StringBuilder out, int start) {
        int end = out.length();
        int first = start;
        while (first < end && !needsEscape(out.charAt(first))) {
            first++;
        }
        if (first == end) {
            return;
        }
        String tail = out.substring(first, end);
        out.setLength(first);
        for (int i = 0; i < tail.length(); i++) {
            char c = tail.charAt(i);
            if (needsEscape(c)) {
                escape(out, c);
            } else {
                out.append(c);
            }
        }
    }

    /** Whether a variable that is not found is shown as {@code -}. */
    boolean dashForMissing() {
        return this == DEFAULT;
    }
}
