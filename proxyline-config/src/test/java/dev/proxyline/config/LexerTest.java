package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {
    private final Errors errors = new Errors();

    private List<Token> lex(String text) {
        return new Lexer("f.conf", text, errors).tokenize().tokens();
    }

    private List<String> words(String text) {
        return lex(text).stream().filter(t -> t.is(Token.Kind.WORD)).map(Token::text).toList();
    }

    @Test
    void splitsWordsAndPunctuationWithPositions() {
        List<Token> t = lex("listen 80;\n  server {\n}");
        assertThat(t).extracting(Token::kind).containsExactly(Token.Kind.WORD, Token.Kind.WORD, Token.Kind.SEMICOLON,
                Token.Kind.WORD, Token.Kind.OPEN_BRACE, Token.Kind.CLOSE_BRACE, Token.Kind.EOF);
        assertThat(t.get(1).position()).isEqualTo(new Position("f.conf", 1, 8));
        assertThat(t.get(3).position()).isEqualTo(new Position("f.conf", 2, 3));
        assertThat(t.get(5).position()).isEqualTo(new Position("f.conf", 3, 1));
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void commentsRunToEndOfLineButHashInsideAWordIsLiteral() {
        assertThat(words("a # comment ; {\nb#c;")).containsExactly("a", "b#c");
    }

    @Test
    void quotedStringsTranslateNginxEscapesOnly() {
        assertThat(words("x \"a\\\"b\\\\c\\nd\\te\\rf\" 'it\\'s' \"keep\\.dot\";"))
                .containsExactly("x", "a\"b\\c\nd\te\rf", "it's", "keep\\.dot");
    }

    @Test
    void quotesMayContainSpacesSemicolonsAndBraces() {
        assertThat(words("log_format m '$a; {b} c';")).containsExactly("log_format", "m", "$a; {b} c");
    }

    @Test
    void unquotedBackslashEscapesTheNextCharacter() {
        assertThat(words("a\\;b c;")).containsExactly("a\\;b", "c");
        assertThat(words("location ~ \\.php$ {")).containsExactly("location", "~", "\\.php$");
    }

    @Test
    void variablesAreKeptVerbatimIncludingBracedForm() {
        assertThat(words("hash $remote_addr consistent; set ${a}b;"))
                .containsExactly("hash", "$remote_addr", "consistent", "set", "${a}b");
    }

    @Test
    void quoteInTheMiddleOfAWordIsLiteral() {
        assertThat(words("a\"b c;")).containsExactly("a\"b", "c");
    }

    @Test
    void unterminatedQuoteIsReportedAtTheOpeningQuote() {
        Lexer.Result r = new Lexer("f.conf", "a 'b;\nc;", errors).tokenize();
        assertThat(r.truncated()).isTrue();
        assertThat(errors.toList()).extracting(ConfigError::toString)
                .containsExactly("f.conf:1:3: unterminated quoted string (opening ' has no closing ')");
    }

    @Test
    void textDirectlyAfterAClosingQuoteIsAnError() {
        lex("a \"b\"c;");
        assertThat(errors.toList()).extracting(ConfigError::toString)
                .containsExactly("f.conf:1:6: unexpected \"c\" after quoted string (expected a space, \";\", \"{\", \"}\" or \")\")");
    }

    @Test
    void aClosingParenthesisAfterAQuotedStringIsTheNextWord() {
        assertThat(words("if ($a ~* \"(bot|crawler)\") {")).containsExactly("if", "($a", "~*", "(bot|crawler)", ")");
        assertThat(errors.toList()).isEmpty();
    }

    @Test
    void emptyQuotedStringIsAnArgument() {
        List<Token> t = lex("proxy_set_header Accept-Encoding \"\";");
        assertThat(t.get(2).text()).isEmpty();
        assertThat(t.get(2).quoted()).isTrue();
    }

    @Test
    void unclosedBracedVariableStopsAtTheEndOfTheWord() {
        assertThat(words("a ${b c;\nd;")).containsExactly("a", "${b", "c", "d");
    }
}
