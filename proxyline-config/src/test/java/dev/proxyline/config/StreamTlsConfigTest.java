package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.stream;
import static dev.proxyline.config.TestConfigs.streamServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTlsConfigTest {
    @Test
    void aListenTakesSslBesideProxyProtocol() {
        StreamServer s = stream("""
                server {
                    listen 127.0.0.1:9443 ssl proxy_protocol;
                    listen 9444;
                    ssl_certificate a.crt;
                    ssl_certificate_key a.key;
                    proxy_pass 127.0.0.1:1;
                }""").servers().get(0);
        assertThat(s.listens()).extracting(Listen::ssl).containsExactly(true, false);
        assertThat(s.listens().get(0).proxyProtocol()).isTrue();
    }

    @Test
    void theHttpSslDirectivesAreReadAndInheritedFromTheStreamLevel() {
        StreamServer s = streamServer("""
                ssl_certificate rsa.crt; ssl_certificate_key rsa.key;
                ssl_certificate ec.crt; ssl_certificate_key ec.key;
                ssl_protocols TLSv1.3;
                ssl_ciphers ECDHE+AESGCM;
                ssl_session_cache shared:S:1m;
                ssl_session_timeout 1h;
                ssl_handshake_timeout 5s;
                """, "ssl_verify_client optional_no_ca; ssl_verify_depth 2;");
        HttpSettings.Tls tls = s.settings().tls();
        assertThat(tls.certificates()).containsExactly("rsa.crt", "ec.crt");
        assertThat(tls.certificateKeys()).containsExactly("rsa.key", "ec.key");
        assertThat(tls.protocols()).isEqualTo(Set.of("TLSv1.3"));
        assertThat(tls.ciphers()).isEqualTo("ECDHE+AESGCM");
        assertThat(tls.sessions()).isEqualTo(new HttpSettings.Sessions(true, 4000, Duration.ofHours(1)));
        assertThat(tls.clientVerify().mode()).isEqualTo(ClientVerify.Mode.OPTIONAL_NO_CA);
        assertThat(tls.clientVerify().depth()).isEqualTo(2);
        assertThat(s.settings().sslHandshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsAreNginxsWithAHandshakeTimeoutOfOneMinute() {
        StreamSettings s = streamServer("", "").settings();
        assertThat(s.tls()).isEqualTo(new HttpSettings.Tls(List.of(), List.of(), HttpSettings.Tls.DEFAULT_PROTOCOLS,
                HttpSettings.Tls.DEFAULT_CIPHERS));
        assertThat(s.sslHandshakeTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void anSslListenNeedsACertificateAndEachCertificateItsKey() {
        assertThat(errors("""
                stream {
                    server { listen 9443 ssl; proxy_pass 127.0.0.1:1; }
                    server {
                        listen 9444 ssl;
                        ssl_certificate a.crt;
                        ssl_certificate b.crt;
                        ssl_certificate_key a.key;
                        proxy_pass 127.0.0.1:1;
                    }
                }""")).containsExactly(
                "test.conf:2:14: no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive",
                "test.conf:6:25: no \"ssl_certificate_key\" is defined for certificate \"b.crt\"");
    }

    @Test
    void aServerWithoutAnSslListenMayCarryTheDirectives() {
        assertThat(streamServer("ssl_certificate a.crt;", "ssl_verify_client on;").settings().tls().certificates())
                .containsExactly("a.crt");
    }

    @Test
    void clientVerificationAndHandshakeOptionsAreCheckedAsInHttp() {
        assertThat(errors("""
                stream {
                    ssl_certificate a.crt; ssl_certificate_key a.key;
                    ssl_certificate b.crt; ssl_certificate_key b.key;
                    server {
                        listen 9443 ssl;
                        ssl_verify_client on;
                        ssl_session_tickets off;
                        ssl_handshake_timeout soon;
                        proxy_pass 127.0.0.1:1;
                    }
                }""")).containsExactly(
                "test.conf:6:9: no ssl_client_certificate for ssl_verify_client",
                "test.conf:7:9: \"ssl_session_tickets off\" is not supported in a server with several ssl_certificate: "
                        + "it runs on the JDK's TLS engine, which has no switch for it",
                "test.conf:8:31: invalid time \"soon\" in \"ssl_handshake_timeout\" directive (expected e.g. 500ms, 5s, "
                        + "1m30s, 1h; units ms s m h d w M y)");
    }

    @Test
    void sslDirectivesNginxsStreamLacksOrProxylineDoesNotSupportAreRefused() {
        // Each says why, where a user would otherwise look for a way to make it work.
        assertThat(errors("""
                stream {
                    server {
                        listen 1;
                        ssl_early_data on;
                        ssl_password_file /etc/keys.pass;
                        ssl_reject_handshake on;
                        proxy_ssl_password_file /etc/keys.pass;
                        proxy_ssl_conf_command Options PrioritizeChaCha;
                        proxy_pass 127.0.0.1:1;
                    }
                }""")).containsExactly(
                "test.conf:4:9: unsupported directive \"ssl_early_data\" in stream server (nginx has it, proxyline "
                        + "does not: TLS 1.3 early data (0-RTT) is not offered by proxyline's TLS engines (the JDK's has "
                        + "none, and Netty does not expose BoringSSL's))",
                "test.conf:5:9: unsupported directive \"ssl_password_file\" in stream server (nginx has it, proxyline "
                        + "does not: keys are read unencrypted: decrypt the key once (openssl pkey -in KEY -out PLAIN) "
                        + "and keep the file readable only by proxyline)",
                "test.conf:6:9: unsupported directive \"ssl_reject_handshake\" in stream server (nginx has it, "
                        + "proxyline does not: not in stream, as in nginx 1.22; http servers have it)",
                "test.conf:7:9: unsupported directive \"proxy_ssl_password_file\" in stream server (nginx has it, "
                        + "proxyline does not: keys are read unencrypted: decrypt the key once (openssl pkey -in KEY "
                        + "-out PLAIN) and keep the file readable only by proxyline)",
                "test.conf:8:9: unsupported directive \"proxy_ssl_conf_command\" in stream server (nginx has it, "
                        + "proxyline does not: OpenSSL's configuration commands; write proxy_ssl_protocols and "
                        + "proxy_ssl_ciphers for what they would set)");
        assertThat(errors("stream {\n    server { listen 1 http2; proxy_pass 127.0.0.1:1; }\n}")).containsExactly(
                "test.conf:2:23: listen parameter \"http2\" is not supported in stream server");
    }
    @Test
    void sslAlpnListsTheProtocolsInOrderInheritedFromTheStreamLevel() {
        assertThat(streamServer("", "").settings().sslAlpn()).isEmpty();
        assertThat(streamServer("ssl_alpn imap pop3;", "").settings().sslAlpn()).containsExactly("imap", "pop3");
        assertThat(streamServer("ssl_alpn imap;", "ssl_alpn h2 http/1.1;").settings().sslAlpn())
                .containsExactly("h2", "http/1.1");
        assertThat(errors("stream {\n    ssl_alpn a \"\" " + "x".repeat(256) + ";\n}")).containsExactly(
                "test.conf:2:16: \"ssl_alpn\" protocol must be 1 to 255 bytes long",
                "test.conf:2:19: \"ssl_alpn\" protocol must be 1 to 255 bytes long");
    }

    @Test
    void proxySslOnCarriesTheProxySslSettingsInheritedFromTheStreamLevel() {
        StreamServer s = streamServer("proxy_ssl_server_name on; proxy_ssl_name db.internal; proxy_ssl_protocols TLSv1.3;",
                "proxy_ssl on; proxy_ssl_session_reuse off;");
        ProxySsl ssl = s.settings().proxySsl().orElseThrow();
        assertThat(ssl.serverName()).isTrue();
        assertThat(ssl.name()).contains("db.internal");
        assertThat(ssl.protocols()).isEqualTo(Set.of("TLSv1.3"));
        assertThat(ssl.sessionReuse()).isFalse();
        assertThat(streamServer("proxy_ssl on;", "proxy_ssl off;").settings().proxySsl()).isEmpty();
        assertThat(streamServer("", "").settings().proxySsl()).isEmpty();
    }

    @Test
    void proxySslIsCheckedAtTheProxyPassItServes() {
        assertThat(errors("""
                stream {
                    proxy_ssl_verify on;
                    server { listen 1; proxy_ssl on; proxy_pass 127.0.0.1:1; }
                    server { listen 2; proxy_ssl on; proxy_ssl_trusted_certificate ca.crt; proxy_ssl_certificate c.crt;
                             proxy_pass 127.0.0.1:1; }
                    server { listen 3; proxy_ssl on; proxy_ssl_trusted_certificate ca.crt; proxy_pass $x; }
                    server { listen 4; proxy_pass 127.0.0.1:1; }
                }""")).containsExactly(
                "test.conf:3:38: no \"proxy_ssl_trusted_certificate\" for \"proxy_ssl_verify\"",
                "test.conf:5:14: no \"proxy_ssl_certificate_key\" is defined for certificate \"c.crt\"",
                "test.conf:6:76: \"proxy_ssl_server_name\" and \"proxy_ssl_verify\" with a \"proxy_pass\" with variables "
                        + "need \"proxy_ssl_name\" (proxyline does not take the name from the expanded value)");
    }
}
