package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Configurations as people write them for nginx must load unchanged. */
class SeedAndRealisticConfigTest {
    /** Verbatim from DESIGN.md, "Configuration". */
    static final String SEED = """
            stream {
                upstream k8s-http  { server 10.0.0.30:80; }
                server {
                    listen 80;
                    proxy_connect_timeout 1s;
                    proxy_protocol on;
                    proxy_pass k8s-http;
                }
            }
            http {
                server {
                    listen 80 proxy_protocol;
                    listen 443 ssl proxy_protocol;
                    set_real_ip_from 10.0.0.0/8;
                    real_ip_header proxy_protocol;
                    location / { proxy_pass http://app; }
                }
            }
            """;

    @Test
    void seedStreamBlock() {
        ProxylineConfig c = ok(SEED.replace("listen 443 ssl proxy_protocol;", "listen 443 ssl proxy_protocol;\n"
                + "ssl_certificate /c; ssl_certificate_key /k;"));
        StreamConfig s = c.stream().orElseThrow();
        assertThat(s.upstreams().get("k8s-http").servers()).extracting(u -> u.endpoint().toString())
                .containsExactly("10.0.0.30:80");
        StreamServer server = s.servers().get(0);
        assertThat(server.listens()).extracting(Listen::bindKey).containsExactly("*:80");
        assertThat(server.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(server.settings().send()).isEqualTo(ProxyProtocolSend.OFF.withEnabled(true));
        assertThat(server.proxyPass()).isEqualTo(new ProxyTarget.UpstreamRef("k8s-http"));
    }

    @Test
    void seedHttpBlockStructure() {
        SyntaxTree tree = ConfigLoader.parseSyntax(write(SEED));
        assertThat(tree.errors()).isEmpty();
        assertThat(tree.directives()).extracting(Directive::name).containsExactly("stream", "http");
        Directive server = tree.directives().get(1).children().get(0);
        assertThat(server.children()).extracting(Directive::name)
                .containsExactly("listen", "listen", "set_real_ip_from", "real_ip_header", "location");
    }

    /**
     * The seed's http block as written, without a certificate: where nginx -t fails, it loads with a
     * warning that the development certificate will serve the TLS listener.
     */
    @Test
    void seedAsWrittenRunsWithTheDevelopmentCertificate() {
        LoadResult result = ConfigLoader.parse(TestConfigs.FILE, SEED, Path.of("."));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).map(ConfigError::toString).containsExactly(
                "test.conf:13:9: no \"ssl_certificate\" is defined for server listening on TLS socket *:443: "
                        + "a self-signed development certificate will be used");
    }

    @Test
    void seedHttpBlockModel() {
        HttpConfig h = ok(SEED.replace("listen 443 ssl proxy_protocol;", "listen 443 ssl proxy_protocol;\n"
                + "ssl_certificate /c; ssl_certificate_key /k;")).http().orElseThrow();
        HttpServer s = h.servers().get(0);
        assertThat(s.listens()).allMatch(Listen::proxyProtocol);
        assertThat(s.settings().realIp().header()).isEqualTo(HttpSettings.RealIp.PROXY_PROTOCOL);
        assertThat(s.locations().get(0).action()).contains(new HttpAction.ProxyPass("http",
                new ProxyTarget.Direct(new Endpoint.Host("app", 80)), Optional.empty()));
    }

    @Test
    void typicalNginxL4BalancerConfig() {
        ProxylineConfig c = ok("""
                # /etc/nginx/nginx.conf on the L4 balancer
                worker_processes  auto;
                error_log  /var/log/nginx/error.log notice;
                pid        /var/run/nginx.pid;

                events {
                    worker_connections  1024;
                }

                stream {
                    log_format proxy '$remote_addr [$time_local] '
                                     '$protocol $status $bytes_sent $bytes_received '
                                     '$session_time "$upstream_addr"';
                    access_log /var/log/nginx/stream-access.log proxy;

                    upstream k8s-http {
                        least_conn;
                        server 10.0.0.30:80 max_fails=3 fail_timeout=10s;
                        server 10.0.0.31:80 max_fails=3 fail_timeout=10s;
                        server 10.0.0.32:80 backup;
                    }
                    upstream k8s-https {
                        hash $remote_addr consistent;
                        server 10.0.0.30:443;
                        server 10.0.0.31:443;
                    }

                    proxy_connect_timeout 1s;
                    proxy_timeout 3m;
                    proxy_protocol on;

                    server {
                        listen 80;
                        listen [::]:80;
                        proxy_pass k8s-http;
                    }
                    server {
                        listen 443 reuseport backlog=4096;
                        proxy_pass k8s-https;
                        proxy_next_upstream_tries 2;
                    }
                }
                """);
        StreamConfig s = c.stream().orElseThrow();
        assertThat(s.servers()).hasSize(2);
        assertThat(s.servers()).allSatisfy(sv -> {
            assertThat(sv.settings().send().enabled()).isTrue();
            assertThat(sv.settings().timeout()).isEqualTo(Duration.ofMinutes(3));
            assertThat(sv.settings().accessLogs()).hasSize(1);
        });
        assertThat(s.logFormats().get("proxy").format()).startsWith("$remote_addr [$time_local] $protocol");
    }

    @Test
    void typicalIngressConfigWithProxyLineExtensions() {
        ProxylineConfig c = ok("""
                worker_processes 2;
                events { worker_connections 8192; }
                stream {
                    upstream ingress { server 10.0.0.30:443; server 10.0.0.31:443; random two; }
                    server {
                        listen 443;
                        proxy_pass ingress;
                        proxy_protocol on;
                        proxy_protocol_version 2;
                        proxy_protocol_crc32c on;
                        proxy_protocol_tlv unique_id $connection;
                        proxy_protocol_tlv 0xE0 "cluster=eu-1";
                    }
                    server {
                        listen 8443 proxy_protocol;
                        set_real_ip_from 192.0.2.0/24;
                        proxy_protocol_policy require from 192.0.2.0/24;
                        proxy_protocol_policy reject;
                        proxy_protocol_timeout 3s;
                        proxy_pass ingress;
                    }
                }
                http {
                    upstream app { server 10.1.0.10:8080; keepalive 32; }
                    server {
                        listen 8080 proxy_protocol;
                        server_name _;
                        set_real_ip_from 10.0.0.0/8;
                        real_ip_header proxy_protocol;
                        proxy_set_header X-Real-IP $proxy_protocol_addr;
                        proxy_set_header X-Forwarded-For $proxy_protocol_addr;
                        location / { proxy_pass http://app; }
                        location = /healthz { return 200 ok; }
                    }
                }
                """);
        StreamServer first = c.stream().orElseThrow().servers().get(0);
        assertThat(first.settings().send().tlvs()).hasSize(2);
        StreamServer second = c.stream().orElseThrow().servers().get(1);
        assertThat(second.listens().get(0).proxyProtocol()).isTrue();
        assertThat(second.settings().accept().policy()).hasSize(2);
        assertThat(c.http().orElseThrow().servers().get(0).settings().proxySetHeaders()).hasSize(2);
    }

    private static java.nio.file.Path write(String text) {
        try {
            java.nio.file.Path p = java.nio.file.Files.createTempFile("seed", ".conf");
            java.nio.file.Files.writeString(p, text);
            p.toFile().deleteOnExit();
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A server as ingress-nginx generates it (its Lua blocks and more_set_headers left out): the sets, the maps and
     * the buffering lines load, the tuning that has no effect in proxyline with a warning each, nothing refused.
     */
    @Test
    void aServerAsIngressNginxGeneratesItLoads() {
        LoadResult result = ConfigLoader.parse(TestConfigs.FILE, """
                http {
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    map $request_id $req_id { default $request_id; }
                    upstream upstream_balancer { server 10.0.0.30:8080; keepalive 320; }
                    server {
                        server_name foo.example.com ;
                        listen 80 proxy_protocol ;
                        listen [::]:80 proxy_protocol ;
                        set $proxy_upstream_name "-";
                        location / {
                            set $namespace      "default";
                            set $ingress_name   "foo";
                            set $service_name   "foo";
                            set $service_port   "80";
                            set $location_path  "/";
                            set $global_rate_limit_exceeding n;
                            port_in_redirect off;
                            set $balancer_ewma_score -1;
                            set $proxy_upstream_name "default-foo-80";
                            set $proxy_host          $proxy_upstream_name;
                            set $pass_access_scheme  $scheme;
                            set $pass_server_port    $proxy_protocol_server_port;
                            set $best_http_host      $http_host;
                            set $pass_port           $pass_server_port;
                            set $proxy_alternative_upstream_name "";
                            client_max_body_size                    1m;
                            proxy_set_header Host                   $best_http_host;
                            proxy_set_header                        Upgrade           $http_upgrade;
                            proxy_set_header                        Connection        $connection_upgrade;
                            proxy_set_header X-Request-ID           $req_id;
                            proxy_set_header X-Real-IP              $remote_addr;
                            proxy_set_header X-Forwarded-For        $remote_addr;
                            proxy_set_header X-Forwarded-Host       $best_http_host;
                            proxy_set_header X-Forwarded-Port       $pass_port;
                            proxy_set_header X-Forwarded-Proto      $pass_access_scheme;
                            proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;
                            proxy_set_header X-Scheme               $pass_access_scheme;
                            proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;
                            proxy_set_header Proxy                  "";
                            proxy_connect_timeout                   5s;
                            proxy_send_timeout                      60s;
                            proxy_read_timeout                      60s;
                            proxy_buffering                         off;
                            proxy_buffer_size                       4k;
                            proxy_buffers                           4 4k;
                            proxy_max_temp_file_size                1024m;
                            proxy_request_buffering                 on;
                            proxy_http_version                      1.1;
                            proxy_cookie_domain                     off;
                            proxy_cookie_path                       off;
                            proxy_next_upstream                     error timeout;
                            proxy_next_upstream_timeout             0;
                            proxy_next_upstream_tries               3;
                            proxy_pass http://upstream_balancer;
                            proxy_redirect                          off;
                        }
                    }
                }
                """, Path.of("."));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(ConfigError::toString).allMatch(w -> w.contains("has no effect"))
                .hasSize(5);
        HttpServer server = ((LoadResult.Loaded) result).config().http().orElseThrow().servers().get(0);
        assertThat(server.locations().get(0).settings().redirects())
                .as("port_in_redirect off, proxy_redirect off and the proxy_cookie_* off lines take effect")
                .isEqualTo(new Redirects(true, false, false, List.of()));
        assertThat(server.rewrites()).filteredOn(SetRule.class::isInstance).map(SetRule.class::cast).extracting(SetRule::variable).containsExactly("proxy_upstream_name");
        assertThat(server.locations().get(0).rewrites()).hasSize(14);
    }
}
