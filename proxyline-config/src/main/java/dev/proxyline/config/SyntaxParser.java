package dev.proxyline.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns token streams into the generic syntax tree and splices {@code include}d files in place, as
 * nginx does while reading. It recovers after each error so that one run reports all of them.
 */
final class SyntaxParser {
    private static final int MAX_INCLUDE_DEPTH = 32;

    private final Errors errors;
    private final IncludeResolver includes;
    private final Predicate<String> isDirectiveName;
    private final Deque<Path> includeStack = new ArrayDeque<>();

    SyntaxParser(Errors errors, IncludeResolver includes, Predicate<String> isDirectiveName) {
        this.errors = errors;
        this.includes = includes;
        this.isDirectiveName = isDirectiveName;
    }

    /** Parses a file from disk; a read failure is reported at {@code from} (the include, or the file itself). */
    List<Directive> parseFile(Path file, Position from) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            errors.add(from, "cannot read \"" + file + "\": " + describe(e));
            return List.of();
        }
        return parseText(file.toString(), text, file);
    }

    List<Directive> parseText(String displayName, String text, Path identity) {
        includeStack.push(identity.toAbsolutePath().normalize());
        try {
            // Editors on Windows may start the file with a byte-order mark; it is not part of the first directive.
            String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
            Lexer.Result lexed = new Lexer(displayName, body, errors).tokenize();
            Cursor cursor = new Cursor(lexed.tokens(), lexed.truncated());
            return block(cursor, null);
        } finally {
            includeStack.pop();
        }
    }

    private List<Directive> block(Cursor c, Token openBrace) {
        List<Directive> out = new ArrayList<>();
        while (true) {
            Token t = c.peek();
            switch (t.kind()) {
                case EOF -> {
                    if (openBrace != null && !c.truncated) {
                        errors.add(t.position(), "unexpected end of file, expecting \"}\" to close the block opened at "
                                + openBrace.position().line() + ":" + openBrace.position().column());
                    }
                    return out;
                }
                case CLOSE_BRACE -> {
                    c.next();
                    if (openBrace != null) return out;
                    errors.add(t.position(), "unexpected \"}\" (no block is open)");
                }
                case SEMICOLON -> {
                    c.next();
                    errors.add(t.position(), "unexpected \";\" (no directive before it)");
                }
                case OPEN_BRACE -> {
                    c.next();
                    errors.add(t.position(), "unexpected \"{\" (a block needs a directive name before it)");
                    block(c, t);
                }
                case WORD -> directive(c, out);
            }
        }
    }

    private void directive(Cursor c, List<Directive> out) {
        Token name = c.next();
        List<Argument> args = new ArrayList<>();
        Optional<List<Directive>> block = Optional.empty();
        Token previous = name;
        loop:
        while (true) {
            Token t = c.peek();
            switch (t.kind()) {
                case WORD -> {
                    if (looksLikeMissingSemicolon(previous, t, c.peekAfter())) {
                        errors.add(endOf(previous), "missing \";\" after \"" + name.text() + "\" directive (\""
                                + t.text() + "\" on the next line starts a new directive)");
                        break loop;
                    }
                    c.next();
                    args.add(new Argument(t.text(), t.position(), t.quoted()));
                    previous = t;
                }
                case SEMICOLON -> {
                    c.next();
                    break loop;
                }
                case OPEN_BRACE -> {
                    c.next();
                    block = Optional.of(block(c, t));
                    break loop;
                }
                case CLOSE_BRACE -> {
                    errors.add(t.position(), "unexpected \"}\", expecting \";\" after \"" + name.text() + "\" directive");
                    break loop;
                }
                case EOF -> {
                    if (c.truncated) return; // cut off by an unterminated quote: already reported, nothing to check
                    errors.add(t.position(), "unexpected end of file, expecting \";\" or \"{\" after \""
                            + name.text() + "\" directive");
                    break loop;
                }
            }
        }
        Directive d = new Directive(name.text(), name.position(), args, block);
        if (d.name().equals("include") && !name.quoted()) {
            include(d, out);
        } else {
            out.add(d);
        }
    }

    /**
     * A directive name unquoted at the start of a later line almost always means the ";" before it was
     * forgotten; splitting there gives one precise error instead of a confusing argument error.
     */
    private boolean looksLikeMissingSemicolon(Token previous, Token next, Token afterNext) {
        // "listen 80\n proxy_protocol;" is a multi-line flag, not a new directive: names followed by ";" stay.
        return !next.quoted()
                && !afterNext.is(Token.Kind.SEMICOLON)
                && next.position().line() > previous.position().line()
                && isDirectiveName.test(next.text());
    }

    private static Position endOf(Token t) {
        Position p = t.position();
        int width = t.quoted() ? t.text().length() + 2 : t.text().length();
        return new Position(p.file(), p.line(), p.column() + Math.max(width, 1));
    }

    private void include(Directive d, List<Directive> out) {
        if (d.hasBlock() || d.args().size() != 1) {
            errors.add(d.position(), "invalid number of arguments in \"include\" directive (expected one path or glob, then \";\")");
            return;
        }
        Argument pattern = d.arg(0);
        if (includeStack.size() >= MAX_INCLUDE_DEPTH) {
            errors.add(pattern.position(), "include nesting deeper than " + MAX_INCLUDE_DEPTH + " levels");
            return;
        }
        IncludeResolver.Resolved resolved = includes.resolve(pattern.value());
        if (resolved.error().isPresent()) {
            errors.add(pattern.position(), resolved.error().get());
            return;
        }
        for (Path file : resolved.files()) {
            Path key = file.toAbsolutePath().normalize();
            if (includeStack.contains(key)) {
                errors.add(pattern.position(), "include cycle: \"" + file + "\" is already being read");
                continue;
            }
            out.addAll(parseFile(file, pattern.position()));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.charset.CharacterCodingException || e instanceof java.io.UncheckedIOException) {
            return "not valid UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static final class Cursor {
        private final List<Token> tokens;
        private final boolean truncated;
        private int index;

        Cursor(List<Token> tokens, boolean truncated) {
            this.tokens = tokens;
            this.truncated = truncated;
        }

        Token peek() {
            return tokens.get(index);
        }

        Token peekAfter() {
            return tokens.get(Math.min(index + 1, tokens.size() - 1));
        }

        Token next() {
            Token t = tokens.get(index);
            if (!t.is(Token.Kind.EOF)) index++;
            return t;
        }
    }
}
