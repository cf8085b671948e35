package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Configurations that load but almost certainly do not do what was meant come back with warnings. */
class WarningsTest {
    private static LoadResult load(String text) {
        return ConfigLoader.parse("test.conf", text, Path.of("."));
    }

    @Test
    void realIpFromProxyProtocolWithoutAProxyProtocolListener() {
        LoadResult r = load("""
                http {
                    real_ip_header proxy_protocol;
                    server { listen 80; }
                    server { listen 81 proxy_protocol; }
                }""");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:3:5: \"real_ip_header proxy_protocol\" applies to this server but none of its listens has "
                        + "\"proxy_protocol\": client addresses will not be replaced");
    }

    @Test
    void proxyProtocolSetOnAnotherServerOfTheSameSocketCounts() {
        LoadResult r = load("""
                http {
                    real_ip_header proxy_protocol;
                    server { listen 80 proxy_protocol; server_name a; }
                    server { listen 80; server_name b; }
                }""");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void socketOptionsOfAnAddressServedThroughItsPortsWildcard() {
        LoadResult r = load("""
                http {
                    server { listen 80; }
                    server { listen 127.0.0.2:80 backlog=64; }
                    server { listen 127.0.0.3:80 proxy_protocol; }
                }
                stream {
                    server { listen 0.0.0.0:90 reuseport; proxy_pass 10.0.0.1:1; }
                    server { listen 127.0.0.2:90 reuseport; proxy_pass 10.0.0.1:1; }
                    server { listen 127.0.0.3:90 so_keepalive=on; proxy_pass 10.0.0.1:1; }
                }""");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:3:14: listen 127.0.0.2:80 is served by the socket of *:80 (test.conf:2:14), which holds "
                        + "the port: its backlog, reuseport and so_keepalive apply, not this listen's",
                "test.conf:9:14: listen 127.0.0.3:90 is served by the socket of *:90 (test.conf:7:14), which holds "
                        + "the port: its backlog, reuseport and so_keepalive apply, not this listen's");
    }

    @Test
    void directivesThatOnlyTuneWhatProxylineDoesNotDoAreDroppedWithAWarning() {
        LoadResult r = load("""
                load_module modules/ngx_stream_module.so;
                http {
                    sendfile on;
                    tcp_nopush on;
                    types_hash_max_size 2048;
                    server_tokens off;
                    types { text/html html htm; }
                    default_type application/octet-stream;
                    server {
                        listen 80;
                        location / { sendfile off; return 200; }
                    }
                }
                stream {
                    map_hash_bucket_size 128;
                }""");
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:1:1: \"load_module\" has no effect in proxyline (proxyline has its stream and http modules "
                        + "built in); ignored",
                "test.conf:3:5: \"sendfile\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:4:5: \"tcp_nopush\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:5:5: \"types_hash_max_size\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:6:5: \"server_tokens\" has no effect in proxyline (proxyline's own responses carry no "
                        + "version); ignored",
                "test.conf:7:5: \"types\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:8:5: \"default_type\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:11:22: \"sendfile\" has no effect in proxyline (proxyline serves no files); ignored",
                "test.conf:15:5: \"map_hash_bucket_size\" has no effect in proxyline (proxyline sizes its tables "
                        + "itself); ignored");
    }

    @Test
    void serverCipherPreferenceIsAlwaysOn() {
        LoadResult r = load("""
                http {
                    ssl_prefer_server_ciphers on;
                    server { listen 80; ssl_prefer_server_ciphers off; }
                }""");
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:3:25: \"ssl_prefer_server_ciphers off\" is ignored: proxyline always chooses by the order "
                        + "of its own ciphers (ssl_ciphers), as \"on\" does");
    }

    @Test
    void ingressNginxsBufferingLinesLoadWithWarningsAndProxyRedirectDefaultOnlyAfterProxyPass() {
        LoadResult r = load("""
                http {
                    server {
                        location / {
                            proxy_buffering off;
                            proxy_buffers 4 4k;
                            proxy_request_buffering on;
                            proxy_redirect off;
                            proxy_pass http://10.0.0.1:80;
                        }
                        location /b { proxy_redirect default; proxy_pass http://10.0.0.1:80; }
                    }
                }""");
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:4:13: \"proxy_buffering\" has no effect in proxyline (proxyline streams bodies with "
                        + "back-pressure and writes nothing to disk); ignored",
                "test.conf:5:13: \"proxy_buffers\" has no effect in proxyline (proxyline streams bodies with "
                        + "back-pressure and writes nothing to disk); ignored",
                "test.conf:6:13: \"proxy_request_buffering\" has no effect in proxyline (proxyline streams request "
                        + "bodies as they come, as with off; see proxy_next_upstream for what that means for retries); "
                        + "ignored");
        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "test.conf:10:23: \"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
    }

    @Test
    void outsideNginxsContextsTheyAreStillErrors() {
        LoadResult r = load("""
                stream {
                    server { listen 1; proxy_pass 10.0.0.1:1; sendfile on; }
                }""");
        assertThat(r.errors()).extracting(ConfigError::toString).containsExactly(
                "test.conf:2:47: unsupported directive \"sendfile\" in stream server (nginx has it, proxyline does not)");
    }

    @Test
    void policyWithoutProxyProtocolListener() {
        LoadResult r = load("""
                stream {
                    server { listen 1; proxy_pass 10.0.0.1:1; proxy_protocol_policy require; }
                }""");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:2:47: \"proxy_protocol_policy\" has no effect on the server at test.conf:2:5: none of its listens has \"proxy_protocol\"");
    }

    @Test
    void ipv6onlyOnAnIpv4AddressIsIgnoredWithAWarningLikeNginx() {
        LoadResult r = load("http { server { listen 127.0.0.1:80 ipv6only=off; listen 81 ipv6only=on; } }");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:1:37: ipv6only is ignored on the IPv4 address \"127.0.0.1:80\"",
                "test.conf:1:61: ipv6only is ignored on the IPv4 address \"81\"");
    }

    @Test
    void cidrWithHostBitsSetIsMaskedWithAWarningLikeNginx() {
        LoadResult r = load("stream { set_real_ip_from 10.1.2.3/8; set_real_ip_from 2001:db8::/32; set_real_ip_from 10.0.0.0/8; }");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:1:27: low address bits of 10.1.2.3/8 are meaningless (using 10.0.0.0/8)");
    }

    @Test
    void warningsAreKeptWhenLoadingFails() {
        LoadResult r = load("stream { set_real_ip_from 10.1.2.3/8; bogus; }");
        assertThat(r.errors()).hasSize(1);
        assertThat(r.warnings()).hasSize(1);
    }
}
