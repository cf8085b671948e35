package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpNextUpstreamConfigTest {
    @Test
    void theDefaultIsErrorAndTimeoutWithoutLimits() {
        HttpConfig h = http("server { listen 80; location / { proxy_pass http://10.0.0.1; } }");
        assertThat(h.servers().get(0).locations().get(0).settings().nextUpstream())
                .isEqualTo(new HttpSettings.NextUpstream(Set.of("error", "timeout"), false, 0, Duration.ZERO));
    }

    @Test
    void conditionsTriesAndTimeoutAreInheritedAndOverriddenPerLevel() {
        HttpConfig h = http("""
                proxy_next_upstream error http_502 http_503 non_idempotent;
                proxy_next_upstream_tries 3;
                server {
                    listen 80;
                    proxy_next_upstream_timeout 10s;
                    location / { proxy_pass http://10.0.0.1; }
                    location /off { proxy_next_upstream off; proxy_pass http://10.0.0.1; }
                    location /mixed { proxy_next_upstream timeout off; proxy_pass http://10.0.0.1; }
                }""");
        HttpServer s = h.servers().get(0);
        assertThat(s.locations().get(0).settings().nextUpstream()).isEqualTo(new HttpSettings.NextUpstream(
                Set.of("error", "http_502", "http_503"), true, 3, Duration.ofSeconds(10)));
        assertThat(s.locations().get(1).settings().nextUpstream()).isEqualTo(new HttpSettings.NextUpstream(
                Set.of(), false, 3, Duration.ofSeconds(10)));
        assertThat(s.locations().get(2).settings().nextUpstream().conditions()).isEmpty();
    }

    @Test
    void unknownConditionsAndCacheOnlyOnesAreErrors() {
        assertThat(errors("""
                http {
                    server {
                        listen 80;
                        proxy_next_upstream error http_501;
                        location / { proxy_next_upstream updating; proxy_next_upstream_tries -1; proxy_pass http://a; }
                    }
                }""")).containsExactly(
                "test.conf:4:35: invalid value \"http_501\" in \"proxy_next_upstream\" directive (expected error, timeout,"
                        + " invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429,"
                        + " non_idempotent or off)",
                "test.conf:5:42: \"updating\" in \"proxy_next_upstream\" needs a cache, which proxyline does not have",
                "test.conf:5:78: invalid number \"-1\" in \"proxy_next_upstream_tries\" directive (expected 0-1000000)");
    }
}
