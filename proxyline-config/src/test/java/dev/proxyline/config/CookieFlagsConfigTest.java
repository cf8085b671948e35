package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.FILE;
import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** proxy_cookie_flags: its lines, nginx's merge and off, and nginx's errors. */
class CookieFlagsConfigTest {
    @Test
    void theNearestLevelWithLinesDecidesAndOffCancelsThem() {
        HttpConfig h = http("""
                proxy_cookie_flags session secure httponly;
                server {
                    location /inherits/ { }
                    location /own/ { proxy_cookie_flags ~^s(id|ession)$ SameSite=Lax nosecure; proxy_cookie_flags "" $f; }
                    location /off/ { proxy_cookie_flags off; }
                }""");
        List<Location> locations = h.servers().get(0).locations();
        assertThat(locations.get(0).settings().redirects().cookieFlags()).singleElement().satisfies(line -> {
            assertThat(line.regex()).isFalse();
            assertThat(line.cookie()).isEqualTo("session");
            assertThat(line.flags()).containsExactly("secure", "httponly");
            assertThat(line.position().line()).isEqualTo(2);
        });
        List<Redirects.CookieFlags> own = locations.get(1).settings().redirects().cookieFlags();
        assertThat(own).extracting(Redirects.CookieFlags::regex).containsExactly(true, false);
        assertThat(own).extracting(Redirects.CookieFlags::cookie).containsExactly("^s(id|ession)$", "");
        assertThat(own.get(0).flags()).containsExactly("SameSite=Lax", "nosecure");
        assertThat(own.get(1).flags()).containsExactly("$f");
        assertThat(locations.get(2).settings().redirects().cookieFlags()).isEmpty();
        assertThat(http("server { }").servers().get(0).settings().redirects().cookieFlags()).isEmpty();
    }

    @Test
    void aFlagNginxDoesNotKnowIsWarnedAboutAndKept() {
        LoadResult result = ConfigLoader.parse(FILE, "http { server { proxy_cookie_flags a bogus Secure; } }\n",
                Path.of("."));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(ConfigError::toString).containsExactly("test.conf:1:38: unknown flag"
                + " \"bogus\" in \"proxy_cookie_flags\" is ignored, as nginx ignores it (expected secure, nosecure,"
                + " httponly, nohttponly, samesite=strict, samesite=lax, samesite=none, nosamesite)");
    }

    @Test
    void nginxsErrorsNameWhereTheyAre() {
        assertThat(errors("""
                http {
                    proxy_cookie_flags one;
                    server {
                        proxy_cookie_flags a secure;
                        proxy_cookie_flags off;
                        location / { proxy_cookie_flags ~^a( secure; }
                        location /b/ { proxy_cookie_flags a secure secure secure secure; }
                    }
                }
                """)).containsExactly(
                "test.conf:2:24: invalid parameter \"one\" in \"proxy_cookie_flags\" directive (expected off, or a "
                        + "cookie and its flags)",
                "test.conf:5:9: \"proxy_cookie_flags\" directive is duplicate (\"off\" must stand alone)",
                "test.conf:6:41: invalid regex \"^a(\" in \"proxy_cookie_flags\": Unclosed group",
                "test.conf:7:24: invalid number of arguments in \"proxy_cookie_flags\" directive (expected 1 to 4, got"
                        + " 5)");
    }
}
