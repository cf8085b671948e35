package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpForwardedConfigTest {
    @Test
    void offByDefault() {
        HttpConfig h = http("server { listen 80; location / { proxy_pass http://10.0.0.1; } }");
        assertThat(h.servers().get(0).settings().proxyForwarded()).isFalse();
        assertThat(h.servers().get(0).locations().get(0).settings().proxyForwarded()).isFalse();
    }

    @Test
    void inheritedFromHttpAndServerAndOverriddenInALocation() {
        HttpConfig h = http("""
                proxy_forwarded on;
                server {
                    listen 80;
                    location / { proxy_pass http://10.0.0.1; }
                    location /quiet { proxy_forwarded off; proxy_pass http://10.0.0.1; }
                }
                server {
                    listen 81;
                    proxy_forwarded off;
                    location / { proxy_forwarded on; proxy_pass http://10.0.0.1; }
                    location /inherits { proxy_pass http://10.0.0.1; }
                }""");
        HttpServer first = h.servers().get(0);
        HttpServer second = h.servers().get(1);
        assertThat(first.settings().proxyForwarded()).isTrue();
        assertThat(first.locations().get(0).settings().proxyForwarded()).isTrue();
        assertThat(first.locations().get(1).settings().proxyForwarded()).isFalse();
        assertThat(second.settings().proxyForwarded()).isFalse();
        assertThat(second.locations().get(0).settings().proxyForwarded()).isTrue();
        assertThat(second.locations().get(1).settings().proxyForwarded()).isFalse();
    }

    @Test
    void aValueOtherThanOnOrOffIsAnErrorAtItsPosition() {
        assertThat(errors("""
                http {
                    server {
                        listen 80;
                        proxy_forwarded yes;
                    }
                }""")).containsExactly(
                "test.conf:4:25: invalid value \"yes\" in \"proxy_forwarded\" directive, it must be \"on\" or \"off\"");
    }

    @Test
    void itTakesExactlyOneArgument() {
        assertThat(errors("http { proxy_forwarded on off; }")).hasSize(1)
                .allSatisfy(e -> assertThat(e).startsWith("test.conf:1:").contains("proxy_forwarded"));
    }
}
