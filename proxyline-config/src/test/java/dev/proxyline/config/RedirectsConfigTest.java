package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.proxyline.config.Redirects.ProxyRedirect.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** absolute_redirect, server_name_in_redirect, port_in_redirect and proxy_redirect, as nginx reads and merges them. */
class RedirectsConfigTest {
    @Test
    void ownRedirectsFollowNginxsDefaultsUntilALevelSaysOtherwise() {
        HttpConfig h = http("""
                port_in_redirect off;
                server {
                    server_name_in_redirect on;
                    location /a { }
                    location /b { absolute_redirect off; port_in_redirect on; }
                }
                server { }""");
        assertThat(h.servers().get(0).locations()).extracting(l -> l.settings().redirects())
                .containsExactly(new Redirects(true, true, false, List.of()), new Redirects(false, true, true, List.of()));
        assertThat(h.servers().get(1).settings().redirects()).isEqualTo(new Redirects(true, false, false, List.of()));
    }

    @Test
    void aLocationThatProxiesGetsDefaultMadeOfItsProxyPassAndItsPrefix() {
        HttpConfig h = http("""
                server {
                    location /app/ { proxy_pass http://up:8080/inner/; }
                    location /plain/ { proxy_pass http://10.0.0.1; }
                    location ~ ^/rx { proxy_pass http://10.0.0.1; proxy_redirect default; }
                    location /none/ { }
                }""");
        assertThat(h.servers().get(0).locations()).extracting(l -> l.settings().redirects().proxyRedirects())
                .extracting(rules -> rules.stream().map(r -> r.kind() + " " + r.pattern() + " -> " + r.replacement())
                        .toList())
                .containsExactly(
                        List.of("LITERAL_PREFIX http://up:8080/inner/ -> /app/"),
                        List.of("LITERAL_PREFIX http://10.0.0.1/ -> /"),
                        List.of("LITERAL_PREFIX http://10.0.0.1/ -> /"),
                        List.of());
    }

    @Test
    void theNearestLevelWithLinesDecidesAndOffAmongThemCancelsThemAll() {
        HttpConfig h = http("""
                proxy_redirect http://a/ /;
                proxy_redirect ~*^http://(b)/(.*)$ /$1/$2;
                server {
                    location /inherits/ { proxy_pass http://10.0.0.1/; }
                    location /own/ { proxy_pass http://10.0.0.1/; proxy_redirect default; proxy_redirect ~/x/ /y/; }
                    location /off/ { proxy_pass http://10.0.0.1/; proxy_redirect http://c/ /; proxy_redirect off; }
                }""");
        List<Location> locations = h.servers().get(0).locations();
        assertThat(locations.get(0).settings().redirects().proxyRedirects())
                .extracting(Redirects.ProxyRedirect::kind, Redirects.ProxyRedirect::pattern,
                        Redirects.ProxyRedirect::replacement)
                .containsExactly(tuple(Kind.PREFIX, "http://a/", "/"), tuple(Kind.REGEX_CASELESS, "^http://(b)/(.*)$",
                        "/$1/$2"));
        assertThat(locations.get(0).settings().redirects().proxyRedirects().get(0).position())
                .isEqualTo(new Position("test.conf", 2, 1));
        assertThat(locations.get(1).settings().redirects().proxyRedirects())
                .extracting(Redirects.ProxyRedirect::kind, Redirects.ProxyRedirect::pattern)
                .containsExactly(tuple(Kind.LITERAL_PREFIX, "http://10.0.0.1/"), tuple(Kind.REGEX, "/x/"));
        assertThat(locations.get(2).settings().redirects().proxyRedirects()).isEmpty();
    }

    @Test
    void badLinesAreErrorsAtTheirArgument() {
        assertThat(errors("""
                http {
                    proxy_redirect default;
                    absolute_redirect maybe;
                    server {
                        location /a/ { proxy_redirect ~( /x; proxy_pass http://10.0.0.1/; }
                        location /b/ { proxy_redirect bad; proxy_redirect a b c; }
                    }
                }""")).containsExactly(
                "test.conf:2:5: \"proxy_redirect default\" should be placed after the \"proxy_pass\" directive",
                "test.conf:3:23: invalid value \"maybe\" in \"absolute_redirect\" directive, it must be \"on\" or \"off\"",
                "test.conf:5:39: invalid regex \"(\" in \"proxy_redirect\": Unclosed group",
                "test.conf:6:39: invalid parameter \"bad\" in \"proxy_redirect\" directive (expected default, off, or "
                        + "a redirect and its replacement)",
                "test.conf:6:44: invalid number of arguments in \"proxy_redirect\" directive (expected 1 to 2, got 3)");
    }

    @Test
    void cookieRulesMergeLikeProxyRedirectAndDomainsLoseTheirLeadingDot() {
        HttpConfig h = http("""
                proxy_cookie_domain .up.test .$host;
                proxy_cookie_path /uri/ /app/;
                server {
                    location /inherits/ { }
                    location /own/ { proxy_cookie_domain ~^(.*)$ x; proxy_cookie_path ~*^/A/ /b/; }
                    location /off/ { proxy_cookie_path off; proxy_cookie_path /x/ /y/; proxy_cookie_domain off; }
                }""");
        List<Location> locations = h.servers().get(0).locations();
        assertThat(locations.get(0).settings().redirects().cookieDomains())
                .extracting(Redirects.ProxyRedirect::kind, Redirects.ProxyRedirect::pattern,
                        Redirects.ProxyRedirect::replacement)
                .containsExactly(tuple(Kind.DOMAIN, "up.test", "$host"));
        assertThat(locations.get(0).settings().redirects().cookiePaths())
                .extracting(Redirects.ProxyRedirect::kind, Redirects.ProxyRedirect::pattern)
                .containsExactly(tuple(Kind.PREFIX, "/uri/"));
        assertThat(locations.get(1).settings().redirects().cookieDomains())
                .extracting(Redirects.ProxyRedirect::kind).as("a domain's regex is always without case")
                .containsExactly(Kind.REGEX_CASELESS);
        assertThat(locations.get(1).settings().redirects().cookiePaths())
                .extracting(Redirects.ProxyRedirect::kind).containsExactly(Kind.REGEX_CASELESS);
        assertThat(locations.get(2).settings().redirects().cookieDomains()).isEmpty();
        assertThat(locations.get(2).settings().redirects().cookiePaths()).isEmpty();
        assertThat(errors("""
                http { server { location / { proxy_cookie_path on; proxy_cookie_domain ~( x; } } }""")).containsExactly(
                "test.conf:1:48: invalid parameter \"on\" in \"proxy_cookie_path\" directive (expected off, or a "
                        + "value and its replacement)",
                "test.conf:1:72: invalid regex \"(\" in \"proxy_cookie_domain\": Unclosed group");
    }
}
