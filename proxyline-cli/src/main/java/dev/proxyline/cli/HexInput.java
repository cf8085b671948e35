package dev.proxyline.cli;

/**
 * Reads the bytes of a {@code pp decode} line: hex digits in either case, two per byte. Whitespace
 * between the digits is ignored, so that lines copied from a hex dump ({@code 0d 0a 0d 0a …}) work.
 */
final class HexInput {
    private HexInput() {
    }

    /**
     * The bytes the hex {@code line} spells.
     *
     * @throws InputException with reason {@value Failure#INVALID_HEX} for a character that is not a
     *     hex digit or an odd number of digits
     */
    static byte[] parse(String line) {
        byte[] out = new byte[line.length() / 2];
        int digits = 0;
        int high = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            int value = Character.digit(c, 16);
            // Character.digit accepts non-ASCII digits (Arabic-Indic, fullwidth); hex means ASCII here.
            if (value < 0 || c > 'f') {
                throw new InputException(Failure.INVALID_HEX, "invalid hex: " + describe(c) + " at column " + (i + 1)
                        + " is not a hex digit (expected 0-9, a-f or A-F, two per byte)");
            }
            if (digits % 2 == 0) {
                high = value;
            } else {
                out[digits / 2] = (byte) (high << 4 | value);
            }
            digits++;
        }
        if (digits % 2 != 0) {
            throw new InputException(Failure.INVALID_HEX, "invalid hex: " + digits
                    + " digits, an odd number (expected two per byte; the last byte is incomplete)");
        }
        return digits / 2 == out.length ? out : java.util.Arrays.copyOf(out, digits / 2);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
