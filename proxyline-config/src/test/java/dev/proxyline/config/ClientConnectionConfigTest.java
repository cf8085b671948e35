package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The directives ingress-nginx writes about client connections: header buffers and names, resets, HTTP/2 streams, TLS
 * records and early data, and the http block's error_log.
 */
class ClientConnectionConfigTest {
    @Test
    void withoutTheDirectivesNginxsDefaultsApply() {
        HttpConfig h = http("server { listen 80; }");
        assertThat(h.servers().get(0).settings().client()).isEqualTo(ClientConnection.DEFAULTS);
        assertThat(ClientConnection.DEFAULTS).isEqualTo(new ClientConnection(
                new ClientConnection.HeaderBuffers(1024, 4, 8192), false, true, false, 128, 16384));
        assertThat(h.errorLog()).isEmpty();
    }

    @Test
    void httpLevelValuesAreInheritedAndAServerReplacesThem() {
        HttpConfig h = http("""
                client_header_buffer_size 2k;
                large_client_header_buffers 8 16k;
                underscores_in_headers on;
                ignore_invalid_headers off;
                reset_timedout_connection on;
                http2_max_concurrent_streams 64;
                ssl_buffer_size 4k;
                ssl_early_data off;
                server { listen 80; location / { reset_timedout_connection off; return 200; } }
                server {
                    listen 81;
                    large_client_header_buffers 2 1k;
                    underscores_in_headers off;
                    http2_max_concurrent_streams 0;
                }
                """);
        ClientConnection inherited = h.servers().get(0).settings().client();
        assertThat(inherited).isEqualTo(new ClientConnection(new ClientConnection.HeaderBuffers(2048, 8, 16384), true,
                false, true, 64, 4096));
        assertThat(h.servers().get(0).locations().get(0).settings().client().resetTimedoutConnection()).isFalse();
        ClientConnection own = h.servers().get(1).settings().client();
        assertThat(own.headerBuffers()).isEqualTo(new ClientConnection.HeaderBuffers(2048, 2, 1024));
        assertThat(own.underscoresInHeaders()).isFalse();
        assertThat(own.http2MaxConcurrentStreams()).isZero();
    }

    @Test
    void badValuesNameTheirPlace() {
        assertThat(errors("""
                http {
                    client_header_buffer_size 0;
                    large_client_header_buffers 0 8k;
                    server {
                        listen 80;
                        large_client_header_buffers 4 511;
                        underscores_in_headers yes;
                        http2_max_concurrent_streams -1;
                        ssl_buffer_size 3g;
                    }
                }
                """)).containsExactly(
                "test.conf:2:31: invalid size \"0\" in \"client_header_buffer_size\" directive (expected at least 1)",
                "test.conf:3:33: invalid number \"0\" in \"large_client_header_buffers\" directive (expected "
                        + "1-2147483647)",
                "test.conf:6:39: the \"large_client_header_buffers\" size must be equal to or greater than "
                        + "\"connection_pool_size\" (512)",
                "test.conf:7:32: invalid value \"yes\" in \"underscores_in_headers\" directive, it must be \"on\" or "
                        + "\"off\"",
                "test.conf:8:38: invalid number \"-1\" in \"http2_max_concurrent_streams\" directive (expected "
                        + "0-2147483647)",
                "test.conf:9:25: size \"3g\" in \"ssl_buffer_size\" directive is too large (at most 2g - 1)");
        assertThat(errors("http { server { listen 81; large_client_header_buffers 4; } }")).containsExactly(
                "test.conf:1:28: invalid number of arguments in \"large_client_header_buffers\" directive (expected 2, "
                        + "got 1)");
    }

    @Test
    void earlyDataOffIsAcceptedAndOnIsRefusedWithTheReason() {
        assertThat(http("ssl_early_data off; server { listen 80; ssl_early_data off; }").servers()).hasSize(1);
        assertThat(errors("http { server { listen 80; ssl_early_data on; } }")).containsExactly(
                "test.conf:1:43: \"ssl_early_data on\" is not supported: TLS 1.3 early data (0-RTT) is not offered by "
                        + "proxyline's TLS engines (the JDK's has none, and Netty does not expose BoringSSL's); \"off\" "
                        + "is accepted");
    }

    @Test
    void logSubrequestHasNoEffectBecauseThereAreNoSubrequests() {
        LoadResult r = ConfigLoader.parse("test.conf", "http { log_subrequest on; server { listen 80; } }",
                Path.of("."));
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:1:8: \"log_subrequest\" has no effect in proxyline (proxyline makes no subrequests: it has "
                        + "no auth_request, SSI or mirror); ignored");
    }

    @Test
    void theHttpBlockHasItsOwnErrorLogAndServersAndLocationsCannotHaveOne() {
        HttpConfig h = http("error_log /var/log/http.log notice; server { listen 80; }");
        assertThat(h.errorLog()).isEqualTo(Optional.of(new ErrorLog("/var/log/http.log", ErrorLog.Level.NOTICE)));
        assertThat(http("error_log http.log; server { listen 80; }").errorLog())
                .isEqualTo(Optional.of(new ErrorLog("http.log", ErrorLog.Level.ERROR)));
        assertThat(errors("""
                http {
                    error_log a.log loud;
                    server { listen 80; error_log b.log;
                        location / { error_log c.log; } }
                }
                """)).containsExactly(
                "test.conf:2:21: invalid log level \"loud\" (expected debug, info, notice, warn, error, crit, alert or "
                        + "emerg)",
                "test.conf:3:25: \"error_log\" in server is not supported: proxyline writes one error log for all of "
                        + "http (put error_log in the http block)",
                "test.conf:4:22: \"error_log\" in location is not supported: proxyline writes one error log for all of "
                        + "http (put error_log in the http block)");
    }
}
