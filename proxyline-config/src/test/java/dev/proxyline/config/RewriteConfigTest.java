package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rewrite} and {@code break}: read in their block's order with {@code set} and where {@code return} stands. */
class RewriteConfigTest {
    @Test
    void stepsKeepTheirOrderAndFlags() {
        HttpServer server = http("""
                server {
                    rewrite ^/old/(.*)$ /new/$1 last;
                    location / {
                        set $a 1;
                        rewrite ^/x$ /y;
                        rewrite ^/y$ /z break;
                        break;
                        rewrite "(?i)^/p/(?P<name>\\\\w+)" https://example.test/$name permanent;
                        rewrite ^/q /r redirect;
                        return 200 "done";
                    }
                    location /only-return/ { return 204; }
                }""").servers().get(0);
        assertThat(server.rewrites()).singleElement().isInstanceOfSatisfying(RewriteRule.class, rule -> {
            assertThat(rule.regex().pattern()).isEqualTo("^/old/(.*)$");
            assertThat(rule.replacement()).isEqualTo("/new/$1");
            assertThat(rule.flag()).isEqualTo(RewriteRule.Flag.LAST);
            assertThat(rule.redirects()).isFalse();
        });
        List<RewriteStep> steps = server.locations().get(0).rewrites();
        assertThat(steps).extracting(step -> step.getClass().getSimpleName()).containsExactly("SetRule", "RewriteRule",
                "RewriteRule", "BreakRule", "RewriteRule", "RewriteRule", "ReturnMarker");
        assertThat(((RewriteRule) steps.get(1)).flag()).isEqualTo(RewriteRule.Flag.NONE);
        assertThat(((RewriteRule) steps.get(2)).flag()).isEqualTo(RewriteRule.Flag.BREAK);
        RewriteRule permanent = (RewriteRule) steps.get(4);
        assertThat(permanent.regex().matcher("/P/word").find()).as("(?i) and PCRE's named group").isTrue();
        assertThat(permanent.redirectStatus()).isEqualTo(301);
        assertThat(((RewriteRule) steps.get(5)).redirectStatus()).isEqualTo(302);
        assertThat(server.locations().get(1).rewrites()).as("a lone return is the location's action only").isEmpty();
    }

    @Test
    void aReplacementNamingASchemeRedirectsWithoutAFlag() {
        HttpServer server = http("""
                server { rewrite ^ https://example.test/; rewrite ^ $scheme://example.test/; }""").servers().get(0);
        assertThat(server.rewrites()).map(step -> ((RewriteRule) step).redirects()).containsExactly(true, true);
    }

    @Test
    void badRewritesNameTheirPlace() {
        assertThat(errors("""
                http {
                    server {
                        rewrite ^/a /b forever;
                        rewrite "(unclosed" /b;
                        break now;
                    }
                }""")).containsExactly(
                "test.conf:3:24: invalid parameter \"forever\" in \"rewrite\" (expected last, break, redirect or permanent)",
                "test.conf:4:17: invalid regex \"(unclosed\" in \"rewrite\": Unclosed group",
                "test.conf:5:9: invalid number of arguments in \"break\" directive (expected 0, got 1)");
    }

    @Test
    void rewriteLogIsInheritedAndInsideAnIfIsNoStep() {
        HttpConfig config = http("""
                rewrite_log on;
                server {
                    location /on/ { if ($uri ~ x) { rewrite_log off; set $a 1; } rewrite ^ /b; }
                    location /off/ { rewrite_log off; rewrite ^ /b; }
                }""");
        HttpServer server = config.servers().get(0);
        assertThat(server.settings().rewriteLog()).isTrue();
        assertThat(server.locations().get(0).settings().rewriteLog()).isTrue();
        assertThat(server.locations().get(1).settings().rewriteLog()).isFalse();
        IfRule branch = (IfRule) server.locations().get(0).rewrites().get(0);
        assertThat(branch.steps()).singleElement().isInstanceOf(SetRule.class);
        assertThat(errors("http { rewrite_log maybe; }")).singleElement().asString().contains("rewrite_log");
        assertThat(errors("http { server { if ($uri) { rewrite_log maybe; } } }")).singleElement().asString()
                .contains("rewrite_log");
    }
}
