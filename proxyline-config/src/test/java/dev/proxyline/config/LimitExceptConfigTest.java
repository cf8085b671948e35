package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** limit_except: its methods, its block merged with its location, and nginx's errors for it. */
class LimitExceptConfigTest {
    @Test
    void theBlockIsTheLocationsSettingsWithItsOwnMergedIn() {
        HttpConfig h = http("""
                upstream writers { server 10.0.0.2:80; }
                server {
                    location /api/ {
                        allow 10.0.0.0/8;
                        deny all;
                        auth_basic_user_file conf/htpasswd;
                        proxy_read_timeout 5s;
                        limit_except get Options {
                            deny 192.0.2.0/24;
                            auth_basic "writers";
                            proxy_pass http://writers;
                        }
                        proxy_pass http://10.0.0.1;
                        location /api/nested/ { }
                    }
                    location /plain/ { proxy_pass http://10.0.0.1; }
                }""");
        Location api = h.servers().get(0).locations().get(0);
        LimitExcept block = api.limitExcept().orElseThrow();
        assertThat(block.position().line()).isEqualTo(9);
        assertThat(block.methods()).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
        // The block's own allow/deny replace the location's; auth_basic merges directive by directive.
        assertThat(block.settings().access().rules()).hasSize(1);
        assertThat(block.settings().access().rules().get(0).allow()).isFalse();
        assertThat(block.settings().authBasic().realm()).contains("writers");
        assertThat(block.settings().authBasic().userFile()).contains("conf/htpasswd");
        assertThat(block.settings().timeouts().proxyRead()).hasSeconds(5);
        assertThat(((HttpAction.ProxyPass) block.action().orElseThrow()).target())
                .isEqualTo(new ProxyTarget.UpstreamRef("writers"));
        // The location itself keeps its own.
        assertThat(api.settings().access().rules()).hasSize(2);
        assertThat(api.settings().authBasic().enabled()).isFalse();
        // As nginx: a nested location does not inherit the block, nor does a location without one have any.
        assertThat(api.locations().get(0).limitExcept()).isEmpty();
        assertThat(h.servers().get(0).locations().get(1).limitExcept()).isEmpty();
    }

    @Test
    void headComesWithGetOnly() {
        assertThat(methods("limit_except POST { deny all; }")).containsExactly("POST");
        assertThat(methods("limit_except HEAD { deny all; }")).containsExactly("HEAD");
        assertThat(methods("limit_except GET GET { }")).containsExactlyInAnyOrder("GET", "HEAD");
    }

    @Test
    void theBlockMayHaveItsOwnAccessLogAndANamedLocationABlock() {
        HttpConfig h = http("""
                server {
                    access_log logs/all.log;
                    location / { limit_except GET { access_log logs/writes.log; } proxy_pass http://10.0.0.1; }
                    location @fallback { limit_except GET { deny all; } proxy_pass http://10.0.0.1; }
                }""");
        List<Location> locations = h.servers().get(0).locations();
        assertThat(locations.get(0).settings().accessLogs()).singleElement()
                .extracting(log -> ((AccessLog.ToFile) log).path()).isEqualTo("logs/all.log");
        assertThat(locations.get(0).limitExcept().orElseThrow().settings().accessLogs()).singleElement()
                .extracting(log -> ((AccessLog.ToFile) log).path()).isEqualTo("logs/writes.log");
        assertThat(locations.get(1).limitExcept()).isPresent();
    }

    @Test
    void withoutItsOwnProxyPassTheBlockHasNoAction() {
        Location l = http("server { location / { limit_except GET { deny all; } return 200 ok; } }")
                .servers().get(0).locations().get(0);
        assertThat(l.limitExcept().orElseThrow().action()).isEmpty();
        assertThat(l.action()).isPresent();
    }

    @Test
    void nginxsErrorsNameWhereTheyAre() {
        assertThat(errors("""
                http {
                    limit_except GET { }
                    server {
                        limit_except GET { }
                        location /a/ { limit_except GET FOO { deny all; } }
                        location /b/ { limit_except GET { } limit_except POST { } }
                        location /c/ { limit_except { } }
                        location /d/ { limit_except GET; }
                        location /e/ { limit_except GET { return 403; satisfy any; deny 10.0.0.0/33; } }
                        location /f/ { limit_except GET { proxy_pass http://10.0.0.1/x/; } }
                        location /g/ { if ($uri) { limit_except GET { } } }
                        location /h/ { limit_except GET { limit_except POST { } } }
                    }
                }
                """)).containsExactly(
                "test.conf:2:5: \"limit_except\" directive is not allowed in http (allowed in: location)",
                "test.conf:4:9: \"limit_except\" directive is not allowed in http server (allowed in: location)",
                "test.conf:5:41: invalid method \"FOO\" in \"limit_except\" (expected GET, HEAD, POST, PUT, DELETE, MKCOL,"
                        + " COPY, MOVE, OPTIONS, PROPFIND, PROPPATCH, LOCK, UNLOCK, PATCH)",
                "test.conf:6:45: \"limit_except\" directive is duplicate (first at line 6)",
                "test.conf:7:24: invalid number of arguments in \"limit_except\" directive (expected at least 1, got 0)",
                "test.conf:8:24: directive \"limit_except\" has no opening \"{\"",
                "test.conf:9:43: " + onlyAccess("return"),
                "test.conf:9:55: " + onlyAccess("satisfy"),
                "test.conf:9:73: invalid address \"10.0.0.0/33\" in \"deny\" directive (expected an IP literal or CIDR such"
                        + " as 10.0.0.0/8; names are not resolved)",
                "test.conf:10:54: \"proxy_pass\" cannot have URI part inside \"limit_except\" block",
                "test.conf:11:36: \"limit_except\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:12:43: " + onlyAccess("limit_except"));
    }

    private static String onlyAccess(String name) {
        return "\"" + name + "\" directive is not allowed inside \"limit_except\" (only allow, deny, auth_basic, "
                + "auth_basic_user_file, access_log and proxy_pass, as in nginx)";
    }

    private static List<String> methods(String block) {
        return List.copyOf(http("server { location / { " + block + " } }").servers().get(0).locations().get(0)
                .limitExcept().orElseThrow().methods());
    }
}
