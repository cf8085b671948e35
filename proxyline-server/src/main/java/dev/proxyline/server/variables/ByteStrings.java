package dev.proxyline.server.variables;

import java.nio.charset.StandardCharsets;

/**
 * Rendered values are <em>byte strings</em>: every char holds one byte (0x00-0xFF), as nginx's
 * values are bytes. Raw TLV values go out exactly as received, text from configuration is its UTF-8
 * bytes, and a line becomes bytes with ISO-8859-1 without any further encoding step. This keeps the
 * escaping rules of {@code log_format} byte-exact with nginx's.
 */
public final class ByteStrings {
    private ByteStrings() {
    }

    /** Appends the UTF-8 bytes of {@code text}, one char per byte; ASCII is copied without allocating. */
    public static void appendUtf8(StringBuilder out, CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                appendBytes(out, text.subSequence(i, length).toString().getBytes(StandardCharsets.UTF_8));
                return;
            }
            out.append(text.charAt(i));
        }
    }

    /** The byte string of {@code text}'s UTF-8 encoding. */
    public static String fromUtf8(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        appendUtf8(out, text);
        return out.toString();
    }

    /** Appends raw bytes, one char per byte. */
    public static void appendBytes(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append((char) (b & 0xFF));
        }
    }

    /** The bytes of a byte string. */
    public static byte[] toBytes(CharSequence byteString) {
        byte[] out = new byte[byteString.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) byteString.charAt(i);
        }
        return out;
    }
}
