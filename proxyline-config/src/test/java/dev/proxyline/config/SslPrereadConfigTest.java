package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.stream;
import static dev.proxyline.config.TestConfigs.streamServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SslPrereadConfigTest {
    @Test
    void offWithNginxsBoundsUnlessSet() {
        assertThat(streamServer("", "").settings().preread()).isEqualTo(SslPreread.OFF);
        assertThat(SslPreread.OFF).isEqualTo(new SslPreread(false, 16384, Duration.ofSeconds(30)));
    }

    @Test
    void streamLevelValuesAreInheritedAndAServerOverridesThem() {
        assertThat(streamServer("ssl_preread on; preread_buffer_size 4k; preread_timeout 5s;", "").settings().preread())
                .isEqualTo(new SslPreread(true, 4096, Duration.ofSeconds(5)));
        assertThat(streamServer("ssl_preread on; preread_timeout 5s;", "ssl_preread off; preread_timeout 1s;")
                .settings().preread()).isEqualTo(new SslPreread(false, 16384, Duration.ofSeconds(1)));
    }

    @Test
    void badValuesNameFileLineAndColumn() {
        assertThat(errors("""
                stream {
                    ssl_preread yes;
                    preread_buffer_size 0;
                    preread_timeout soon;
                    server { listen 1; proxy_pass 10.0.0.1:1; preread_buffer_size 1x; }
                }""")).containsExactly(
                "test.conf:2:17: invalid value \"yes\" in \"ssl_preread\" directive, it must be \"on\" or \"off\"",
                "test.conf:3:25: \"preread_buffer_size\" must be between 1 and 2g",
                "test.conf:4:21: invalid time \"soon\" in \"preread_timeout\" directive (expected e.g. 500ms, 5s, 1m30s, 1h; units ms s m h d w M y)",
                "test.conf:5:67: invalid size \"1x\" in \"preread_buffer_size\" directive (expected e.g. 512, 16k, 1m, 1g)");
    }

    @Test
    void prereadIsAStreamDirectiveOnly() {
        assertThat(errors("http {\n    ssl_preread on;\n}")).containsExactly(
                "test.conf:2:5: \"ssl_preread\" directive is not allowed in http (allowed in: stream, stream server)");
        assertThat(errors("stream {\n    server { listen 1; proxy_pass 10.0.0.1:1; ssl_preread on on; }\n}"))
                .containsExactly("test.conf:2:47: invalid number of arguments in \"ssl_preread\" directive (expected 1, got 2)");
    }

    @Test
    void proxyPassWithVariablesIsKeptForTheSessionToExpand() {
        StreamConfig s = stream("""
                map $ssl_preread_server_name $backend { a.example up_a; default 127.0.0.1:9443; }
                upstream up_a { server 127.0.0.1:1; }
                server { listen 443; ssl_preread on; proxy_pass $backend; }
                """);
        ProxyTarget target = s.servers().get(0).proxyPass();
        assertThat(target).isInstanceOf(ProxyTarget.Computed.class);
        assertThat(((ProxyTarget.Computed) target).template()).isEqualTo("$backend");
        assertThat(((ProxyTarget.Computed) target).position().line()).isEqualTo(4);
        assertThat(((ProxyTarget.Computed) stream("server { listen 1; proxy_pass ${host}:443; }").servers().get(0)
                .proxyPass()).template()).isEqualTo("${host}:443");
    }
}
