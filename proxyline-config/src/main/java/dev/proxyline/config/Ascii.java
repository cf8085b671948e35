package dev.proxyline.config;

/**
 * nginx's case folding (ngx_tolower): ASCII letters only, every other character as it is. Host names, map keys,
 * variable names and media types fold this way; {@link String#toLowerCase} would also fold non-ASCII letters, which
 * nginx compares byte for byte.
 */
public final class Ascii {
    private Ascii() {}

    /** {@code c} folded: an ASCII upper-case letter to its lower case, anything else as it is. */
    public static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** {@code text} with ASCII letters in lower case; {@code text} itself when it has no upper-case letter. */
    public static String lowerCase(String text) {
        return lowerCase(text, text.length());
    }

    /**
     * The first {@code length} characters of {@code text}, folded; {@code text} itself when that is all of it,
     * unchanged.
     */
    public static String lowerCase(String text, int length) {
        for (int i = 0; i < length; i++) {
            if (lower(text.charAt(i)) != text.charAt(i)) {
                char[] chars = new char[length];
                for (int j = 0; j < length; j++) chars[j] = lower(text.charAt(j));
                return new String(chars);
            }
        }
        return length == text.length() ? text : text.substring(0, length);
    }
}
