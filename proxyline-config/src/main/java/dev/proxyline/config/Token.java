package dev.proxyline.config;

/** A lexical token; {@code text} has quotes removed and escapes applied. */
record Token(Kind kind, String text, Position position, boolean quoted) {
    enum Kind { WORD, OPEN_BRACE, CLOSE_BRACE, SEMICOLON, EOF }

    boolean is(Kind k) {
        return kind == k;
    }
}
