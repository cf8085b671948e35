package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** auth_basic, auth_basic_user_file and satisfy, as nginx reads and merges them. */
class AuthBasicConfigTest {
    @Test
    void eachDirectiveIsInheritedOnItsOwnAndOffSwitchesTheRealmOff() {
        HttpConfig h = http("""
                auth_basic_user_file conf/htpasswd;
                server {
                    auth_basic "Staff $host";
                    location /inherits { }
                    location /off { auth_basic off; }
                    location /any { satisfy any; auth_basic_user_file /etc/other; }
                }
                server { }""");
        HttpServer first = h.servers().get(0);
        AuthBasic inherits = first.locations().get(0).settings().authBasic();
        assertThat(inherits.realm()).contains("Staff $host");
        assertThat(inherits.userFile()).contains("conf/htpasswd");
        assertThat(inherits.filePosition().orElseThrow().line()).isEqualTo(2); // the first, in the test's http block
        assertThat(inherits.any()).isFalse();
        assertThat(inherits.enabled()).isTrue();
        AuthBasic off = first.locations().get(1).settings().authBasic();
        assertThat(off.realm()).isEmpty();
        assertThat(off.enabled()).isFalse();
        AuthBasic any = first.locations().get(2).settings().authBasic();
        assertThat(any.any()).isTrue();
        assertThat(any.userFile()).contains("/etc/other");
        assertThat(any.realm()).contains("Staff $host");
        // A file without a realm asks for nothing, as nginx.
        assertThat(h.servers().get(1).settings().authBasic().enabled()).isFalse();
        assertThat(h.servers().get(1).settings().authBasic().realm()).isEqualTo(Optional.empty());
    }

    @Test
    void nothingConfiguredIsOff() {
        assertThat(http("server { }").servers().get(0).settings().authBasic()).isEqualTo(AuthBasic.OFF);
    }

    @Test
    void badValuesAreReportedWithTheirPositions() {
        assertThat(errors("""
                http {
                    satisfy some;
                    auth_basic_user_file $host.htpasswd;
                    server {
                        auth_basic;
                        location / { auth_basic "a" "b"; satisfy all; satisfy any; }
                        if ($uri) { auth_basic "x"; }
                    }
                }
                stream { auth_basic "x"; }
                """)).containsExactly(
                "test.conf:2:13: invalid value \"some\" in \"satisfy\" directive, it must be \"all\" or \"any\"",
                "test.conf:3:26: variables in \"auth_basic_user_file\" are not supported: \"$host.htpasswd\" (name one"
                        + " file)",
                "test.conf:5:9: invalid number of arguments in \"auth_basic\" directive (expected 1, got 0)",
                "test.conf:6:22: invalid number of arguments in \"auth_basic\" directive (expected 1, got 2)",
                "test.conf:6:55: \"satisfy\" directive is duplicate (first at line 6)",
                "test.conf:7:21: \"auth_basic\" inside \"if\" is not supported by proxyline; only return, rewrite, set, "
                        + "break and rewrite_log",
                "test.conf:10:10: \"auth_basic\" directive is not allowed in stream (allowed in: \"limit_except\", http, http "
                        + "server, location)");
    }
}
