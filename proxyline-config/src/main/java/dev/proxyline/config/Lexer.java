package dev.proxyline.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits nginx configuration text into tokens, following ngx_conf_read_token: quotes are special only
 * at the start of a token, '#' starts a comment only at the start of a token, a backslash escapes the
 * next character, and only \" \' \\ \n \r \t are translated (other escapes stay verbatim so regexes
 * like {@code \.php$} survive).
 */
final class Lexer {
    /** Tokens plus whether the text ended inside a quoted string (later EOF errors would be noise). */
    record Result(List<Token> tokens, boolean truncated) {}

    private final String file;
    private final String text;
    private final Errors errors;
    private int pos;
    private int line = 1;
    private int column = 1;
    private boolean truncated;

    Lexer(String file, String text, Errors errors) {
        this.file = file;
        this.text = text;
        this.errors = errors;
    }

    Result tokenize() {
        List<Token> tokens = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                advance();
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') advance();
            } else if (c == ';') {
                tokens.add(new Token(Token.Kind.SEMICOLON, ";", here(), false));
                advance();
            } else if (c == '{') {
                tokens.add(new Token(Token.Kind.OPEN_BRACE, "{", here(), false));
                advance();
            } else if (c == '}') {
                tokens.add(new Token(Token.Kind.CLOSE_BRACE, "}", here(), false));
                advance();
            } else if (c == '"' || c == '\'') {
                Token t = quoted(c);
                if (t == null) break;
                tokens.add(t);
            } else {
                tokens.add(word());
            }
        }
        tokens.add(new Token(Token.Kind.EOF, "", here(), false));
        return new Result(List.copyOf(tokens), truncated);
    }

    private Token quoted(char quote) {
        Position start = here();
        advance();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                errors.add(start, "unterminated quoted string (opening " + quote + " has no closing " + quote + ")");
                truncated = true;
                return null;
            }
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                appendEscape(sb, text.charAt(pos + 1));
                advance();
                advance();
            } else if (c == quote) {
                advance();
                break;
            } else {
                sb.append(c);
                advance();
            }
        }
        if (pos < text.length()) {
            char next = text.charAt(pos);
            // A ")" may follow directly, and starts the next token, as in nginx: if ($a ~ "^(x)$") {
            if (!Character.isWhitespace(next) && next != ';' && next != '{' && next != '}' && next != ')') {
                errors.add(here(), "unexpected \"" + next + "\" after quoted string (expected a space, \";\", "
                        + "\"{\", \"}\" or \")\")");
            }
        }
        return new Token(Token.Kind.WORD, sb.toString(), start, true);
    }

    private Token word() {
        Position start = here();
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') break;
            if (c == '\\' && pos + 1 < text.length()) {
                appendEscape(sb, text.charAt(pos + 1));
                advance();
                advance();
            } else if (c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '{') {
                // ${name}: the braces belong to the variable, not to a block. An unclosed "${" stops at the
                // end of the word so that one typo cannot swallow the rest of the file.
                sb.append("${");
                advance();
                advance();
                while (pos < text.length()) {
                    char v = text.charAt(pos);
                    if (Character.isWhitespace(v) || v == ';' || v == '{') break;
                    sb.append(v);
                    advance();
                    if (v == '}') break;
                }
            } else {
                sb.append(c);
                advance();
            }
        }
        return new Token(Token.Kind.WORD, sb.toString(), start, false);
    }

    private static void appendEscape(StringBuilder sb, char escaped) {
        switch (escaped) {
            case '"', '\'', '\\' -> sb.append(escaped);
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            default -> sb.append('\\').append(escaped);
        }
    }

    private Position here() {
        return new Position(file, line, column);
    }

    private void advance() {
        if (text.charAt(pos) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        pos++;
    }
}
