package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpVersionConfigTest {
    @Test
    void version11AsNginxConfigurationsSetItForPoolsAndWebSocketLoads() {
        HttpConfig h = http("""
                proxy_http_version 1.1;
                server {
                    listen 80;
                    location / { proxy_http_version 1.1; proxy_pass http://10.0.0.1; }
                }""");
        assertThat(h.servers()).hasSize(1);
    }

    @Test
    void version10IsRefusedOnceAtItsPositionSayingProxylineSpeaks11() {
        assertThat(errors("""
                http {
                    proxy_http_version 1.0;
                    server { listen 80; location / { proxy_pass http://10.0.0.1; } }
                    server { listen 81; location / { proxy_pass http://10.0.0.1; } }
                }""")).containsExactly("test.conf:2:24: \"proxy_http_version 1.0\" is not supported: proxyline always"
                + " speaks HTTP/1.1 to upstreams (remove the directive or use 1.1)");
    }

    @Test
    void anyOtherValueIsInvalid() {
        assertThat(errors("http { server { listen 80; location / { proxy_http_version 2; proxy_pass http://a; } } }"))
                .containsExactly("test.conf:1:60: invalid value \"2\" in \"proxy_http_version\" directive (expected 1.1)");
    }
}
