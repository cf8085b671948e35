package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code proxy_pass https://} and the {@code proxy_ssl_*} directives, as nginx reads and inherits them. */
class ProxySslConfigTest {
    @Test
    void theDefaultsAreNginxs() {
        ProxySsl ssl = http("server { location / { proxy_pass https://10.0.0.9; } }")
                .servers().get(0).locations().get(0).settings().proxySsl();
        assertThat(ssl).isEqualTo(ProxySsl.DEFAULTS);
        assertThat(ssl.serverName()).isFalse();
        assertThat(ssl.verify()).isFalse();
        assertThat(ssl.verifyDepth()).isEqualTo(1);
        assertThat(ssl.sessionReuse()).isTrue();
        assertThat(ssl.protocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        assertThat(ssl.ciphers()).isEqualTo("DEFAULT");
    }

    @Test
    void proxyPassHttpsTakesAHostAPortAUriOrAnUpstreamName() {
        HttpConfig h = http("""
                upstream app { server 10.0.0.1:8443; }
                server {
                    location /a/ { proxy_pass https://10.0.0.9/b/; }
                    location /c { proxy_pass https://backend.test:9443; }
                    location /d { proxy_pass https://app; }
                }""");
        assertThat(h.servers().get(0).locations()).extracting(Location::action).containsExactly(
                Optional.of(new HttpAction.ProxyPass("https", new ProxyTarget.Direct(
                        new Endpoint.Inet(InetLiteral.parse("10.0.0.9").orElseThrow(), 443)), Optional.of("/b/"))),
                Optional.of(new HttpAction.ProxyPass("https", new ProxyTarget.Direct(
                        new Endpoint.Host("backend.test", 9443)), Optional.empty())),
                Optional.of(new HttpAction.ProxyPass("https", new ProxyTarget.UpstreamRef("app"), Optional.empty())));
    }

    @Test
    void eachDirectiveIsInheritedOnItsOwn() {
        HttpConfig h = http("""
                proxy_ssl_verify on;
                proxy_ssl_trusted_certificate /etc/ca.pem;
                proxy_ssl_protocols TLSv1.3;
                server {
                    proxy_ssl_server_name on;
                    proxy_ssl_name app.internal;
                    proxy_ssl_certificate client.crt;
                    proxy_ssl_certificate_key client.key;
                    location / {
                        proxy_ssl_verify_depth 3;
                        proxy_ssl_ciphers ECDHE+AESGCM;
                        proxy_ssl_session_reuse off;
                        proxy_ssl_crl /etc/ca.crl;
                        proxy_pass https://10.0.0.9;
                    }
                    location /other { proxy_ssl_verify off; proxy_pass https://10.0.0.9; }
                }""");
        ProxySsl server = h.servers().get(0).settings().proxySsl();
        assertThat(server.serverName()).isTrue();
        assertThat(server.name()).contains("app.internal");
        assertThat(server.verify()).isTrue();
        assertThat(server.trustedCertificate()).map(ProxySsl.File::path).contains("/etc/ca.pem");
        assertThat(server.trustedCertificate().get().position()).isEqualTo(new Position("test.conf", 3, 31));
        ProxySsl location = h.servers().get(0).locations().get(0).settings().proxySsl();
        assertThat(location.serverName()).isTrue();
        assertThat(location.verifyDepth()).isEqualTo(3);
        assertThat(location.protocols()).containsExactly("TLSv1.3");
        assertThat(location.ciphers()).isEqualTo("ECDHE+AESGCM");
        assertThat(location.certificate()).map(ProxySsl.File::path).contains("client.crt");
        assertThat(location.certificateKey()).map(ProxySsl.File::path).contains("client.key");
        assertThat(location.sessionReuse()).isFalse();
        assertThat(location.crl()).map(ProxySsl.File::path).contains("/etc/ca.crl");
        ProxySsl other = h.servers().get(0).locations().get(1).settings().proxySsl();
        assertThat(other.verify()).isFalse();
        assertThat(other.verifyDepth()).isEqualTo(1);
    }

    @Test
    void verifyNeedsATrustedCertificateWhereAnHttpsProxyPassUsesItAsNginxSays() {
        assertThat(errors("""
                http {
                    proxy_ssl_verify on;
                    server {
                        location /plain { proxy_pass http://10.0.0.9; }
                        location /tls {
                            proxy_pass https://10.0.0.9;
                        }
                    }
                }""")).containsExactly(
                "test.conf:6:13: no \"proxy_ssl_trusted_certificate\" for \"proxy_ssl_verify\"");
    }

    @Test
    void aClientCertificateNeedsItsKey() {
        assertThat(errors("""
                http {
                    server {
                        proxy_ssl_certificate client.crt;
                        location / { proxy_pass https://10.0.0.9; }
                    }
                }""")).containsExactly(
                "test.conf:4:22: no \"proxy_ssl_certificate_key\" is defined for certificate \"client.crt\"");
    }

    @Test
    void badValuesNameTheirPlace() {
        assertThat(errors("""
                http {
                    proxy_ssl_verify maybe;
                    proxy_ssl_verify_depth -1;
                    proxy_ssl_protocols SSLv3 TLSv1.4;
                    proxy_ssl_name $host;
                    proxy_ssl_server_name yes;
                    proxy_ssl_session_reuse 1;
                }""")).containsExactly(
                "test.conf:2:22: invalid value \"maybe\" in \"proxy_ssl_verify\" directive, it must be \"on\" or \"off\"",
                "test.conf:3:28: invalid number \"-1\" in \"proxy_ssl_verify_depth\" directive (expected 0-100)",
                "test.conf:4:25: \"SSLv3\" is not supported (insecure and absent from the TLS stacks)",
                "test.conf:4:31: invalid value \"TLSv1.4\" in \"proxy_ssl_protocols\" directive (expected TLSv1,"
                        + " TLSv1.1, TLSv1.2, TLSv1.3)",
                "test.conf:5:20: variables in \"proxy_ssl_name\" are not supported (write the name the upstream's"
                        + " certificate carries)",
                "test.conf:6:27: invalid value \"yes\" in \"proxy_ssl_server_name\" directive, it must be \"on\" or \"off\"",
                "test.conf:7:29: invalid value \"1\" in \"proxy_ssl_session_reuse\" directive, it must be \"on\" or \"off\"");
    }

    @Test
    void whatProxylineLacksIsRefusedByName() {
        assertThat(errors("http {\n    proxy_ssl_password_file /etc/pass;\n}").get(0))
                .startsWith("test.conf:2:5: ").contains("proxy_ssl_password_file");
    }

    @Test
    void theDirectivesBelongToTheHttpAndStreamContextsNotToUpstreams() {
        assertThat(errors("stream {\n    upstream u { server 10.0.0.1:1; proxy_ssl_verify on; }\n}").get(0))
                .startsWith("test.conf:2:37: ");
        assertThat(errors("http {\n    upstream u { server 10.0.0.1; proxy_ssl_verify on; }\n}").get(0))
                .startsWith("test.conf:2:35: ");
    }
}
