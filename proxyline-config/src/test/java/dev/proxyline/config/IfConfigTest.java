package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code if}: its condition read as nginx reads it, its body of rewrite-module directives, and what it refuses. */
class IfConfigTest {
    private static IfCondition condition(String written) {
        HttpServer server = http("server { if " + written + " { break; } }").servers().get(0);
        return ((IfRule) server.rewrites().get(0)).condition();
    }

    @Test
    void aVariableAloneWhereverTheParenthesesStand() {
        assertThat(condition("($is_bot)")).isEqualTo(new IfCondition.Variable("is_bot"));
        assertThat(condition("( $Is_Bot )")).isEqualTo(new IfCondition.Variable("is_bot"));
        assertThat(condition("($is_bot )")).isEqualTo(new IfCondition.Variable("is_bot"));
    }

    @Test
    void comparisonsKeepTheirValueWithVariables() {
        assertThat(condition("($uri = /)")).isEqualTo(new IfCondition.Compare("uri", true, "/"));
        assertThat(condition("($http_x_forwarded_proto != \"https\")"))
                .isEqualTo(new IfCondition.Compare("http_x_forwarded_proto", false, "https"));
        assertThat(condition("( $request_method = POST )")).isEqualTo(new IfCondition.Compare("request_method", true,
                "POST"));
        assertThat(condition("($a = \"$host:$server_port\")")).isEqualTo(new IfCondition.Compare("a", true,
                "$host:$server_port"));
        assertThat(condition("($a = \"\")")).isEqualTo(new IfCondition.Compare("a", true, ""));
    }

    @Test
    void regexOperatorsWithAQuotedRegexTouchingTheClosingParenthesis() {
        IfCondition.Match insensitive = (IfCondition.Match) condition("($http_user_agent ~* \"(bot|crawler)\")");
        assertThat(insensitive.name()).isEqualTo("http_user_agent");
        assertThat(insensitive.negated()).isFalse();
        assertThat(insensitive.regex().matcher("GoogleBot/2.1").find()).isTrue();
        IfCondition.Match sensitive = (IfCondition.Match) condition("($host ~ ^www\\.(.*)$)");
        assertThat(sensitive.regex().pattern()).isEqualTo("^www\\.(.*)$");
        assertThat(sensitive.regex().matcher("WWW.example.test").find()).isFalse();
        assertThat(((IfCondition.Match) condition("($args !~ \"id=(\\d+)\")")).negated()).isTrue();
        IfCondition.Match named = (IfCondition.Match) condition("($host !~* '^(?P<Sub>[a-z]+)\\.example')");
        assertThat(named.negated()).isTrue();
        assertThat(named.namedGroups()).containsExactly("Sub");
    }

    @Test
    void theBodyRunsItsDirectivesInOrderWithItsReturn() {
        HttpServer server = http("""
                server {
                    location / {
                        set $a 1;
                        if ($args ~ "id=(\\d+)") { set $id $1; rewrite ^ /by-id last; break; }
                        if ($request_method = POST) { return 405; }
                        return 200 "done";
                    }
                }""").servers().get(0);
        List<RewriteStep> steps = server.locations().get(0).rewrites();
        assertThat(steps).extracting(step -> step.getClass().getSimpleName())
                .containsExactly("SetRule", "IfRule", "IfRule", "ReturnMarker");
        IfRule first = (IfRule) steps.get(1);
        assertThat(first.steps()).extracting(step -> step.getClass().getSimpleName())
                .containsExactly("SetRule", "RewriteRule", "BreakRule");
        assertThat(first.ret()).isEmpty();
        IfRule second = (IfRule) steps.get(2);
        assertThat(second.steps()).singleElement().isInstanceOf(ReturnMarker.class);
        assertThat(second.ret()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(405));
        HttpConfig config = http("""
                server { location / { if ($args ~ "(?<key>\\\\w+)=") { set $id $1; } } }""");
        assertThat(config.allSets()).extracting(SetRule::variable).containsExactly("id");
        assertThat(config.allCaptures()).extracting(CaptureVariable::variable)
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "key");
        assertThat(config.allCaptures()).extracting(CaptureVariable::directive).containsOnly("if");
    }

    @Test
    void malformedConditionsFailAsInNginxNamingTheWord() {
        assertThat(errors("""
                http {
                    server {
                        if $a { }
                        if ($a = ) { }
                        if ($a x y) { }
                        if ($a =b) { }
                        if (a) { }
                        if ($a ~ a b) { }
                        if ($a ~ "(x") { }
                        if ($a { }
                    }
                }""")).containsExactly(
                "test.conf:3:12: invalid condition \"$a\"",
                "test.conf:4:12: invalid condition \"$a\"",
                "test.conf:5:16: unexpected \"x\" in condition",
                "test.conf:6:12: invalid condition \"$a\"",
                "test.conf:7:12: invalid condition \"a\"",
                "test.conf:8:12: invalid condition \"$a\"",
                "test.conf:9:18: invalid regex \"(x\" in \"if\": Unclosed group",
                "test.conf:10:12: invalid condition \"$a\"");
    }

    @Test
    void fileChecksAndOtherDirectivesInsideAreRefused() {
        assertThat(errors("""
                http {
                    server {
                        if (-f $request_filename) { return 404; }
                        if (!-e $request_filename) { rewrite ^ /index.php last; }
                        location / {
                            if ($slow) {
                                limit_rate 10k;
                                proxy_pass http://127.0.0.1:8080;
                                add_header X-Slow 1;
                                if ($a) { }
                                listen 80;
                                no_such_thing 1;
                            }
                        }
                        if ($a) { set b 1; }
                    }
                }""")).containsExactly(
                "test.conf:3:12: \"-f\" in \"if\" is not supported by proxyline (it serves no files, so it has none to check)",
                "test.conf:4:12: \"!-e\" in \"if\" is not supported by proxyline (it serves no files, so it has none to "
                        + "check)",
                "test.conf:7:17: \"limit_rate\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:8:17: \"proxy_pass\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:9:17: \"add_header\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:10:17: \"if\" directive is not allowed inside \"if\" (nginx does not nest them)",
                "test.conf:11:17: \"listen\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:12:17: unknown directive \"no_such_thing\"",
                "test.conf:15:23: invalid variable name \"b\" in \"set\" (expected $ and letters, digits or _)");
    }

    @Test
    void ifIsOnlyForServersAndLocations() {
        assertThat(errors("http {\n    if ($a) { return 404; }\n}")).singleElement().asString()
                .startsWith("test.conf:2:5: \"if\" directive is not allowed in http");
    }
}
