package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsHandshakeConfigTest {
    private static TlsHandshake server(String httpLevel, String serverBody) {
        return http(httpLevel + "\nserver { listen 443 ssl; " + serverBody + " }").servers().get(0).settings().tls()
                .handshake();
    }

    @Test
    void defaultsAreNginxs() {
        assertThat(server("", "")).isEqualTo(TlsHandshake.DEFAULTS);
        assertThat(server("ssl_ecdh_curve auto; ssl_session_tickets on; ssl_reject_handshake off;", ""))
                .isEqualTo(TlsHandshake.DEFAULTS);
    }

    @Test
    void curvesAreKeptInOrderAndInherited() {
        TlsHandshake h = server("ssl_ecdh_curve X25519:prime256v1:secp384r1;", "");
        assertThat(h.curves()).containsExactly("X25519", "prime256v1", "secp384r1");
        assertThat(h.openSslOnly()).containsOnlyKeys("ssl_ecdh_curve");
        assertThat(server("ssl_ecdh_curve secp384r1;", "ssl_ecdh_curve auto;").curves()).isEmpty();
    }

    @Test
    void ticketsOffAndKeyFilesKeepTheirPlaces() {
        TlsHandshake h = server("ssl_session_tickets off;",
                "ssl_session_ticket_key a.key; ssl_session_ticket_key /b.key;");
        assertThat(h.tickets()).isFalse();
        assertThat(h.ticketKeys()).extracting(ClientVerify.File::path).containsExactly("a.key", "/b.key");
        assertThat(h.openSslOnly()).isEqualTo(Map.of("ssl_session_tickets off", new Position("test.conf", 2, 1),
                "ssl_session_ticket_key", new Position("test.conf", 3, 26)));
        // nginx: a level with its own keys replaces the outer ones.
        assertThat(server("ssl_session_ticket_key a.key;", "ssl_session_ticket_key c.key;").ticketKeys())
                .extracting(ClientVerify.File::path).containsExactly("c.key");
    }

    @Test
    void dhparamAndRejectHandshake() {
        TlsHandshake h = server("ssl_dhparam dh.pem;", "ssl_reject_handshake on;");
        assertThat(h.dhparam()).contains(new ClientVerify.File("dh.pem", new Position("test.conf", 2, 13)));
        assertThat(h.rejectHandshake()).isTrue();
        assertThat(h.openSslOnly()).isEmpty();
        assertThat(server("", "").dhparam()).isEqualTo(Optional.empty());
    }

    @Test
    void confCommandsThatMeanAnotherDirective() {
        TlsHandshake h = server("ssl_ecdh_curve X25519;",
                "ssl_conf_command Groups P-384:X25519; ssl_conf_command Options -SessionTicket,ServerPreference;");
        assertThat(h.curves()).containsExactly("P-384", "X25519");
        assertThat(h.tickets()).isFalse();
        assertThat(server("ssl_session_tickets off;", "ssl_conf_command Options SessionTicket;").tickets()).isTrue();
        assertThat(server("", "ssl_conf_command curves X25519;").curves()).containsExactly("X25519");
    }

    @Test
    void refusalsNameTheirPlace() {
        assertThat(errors("""
                http {
                    ssl_ecdh_curve X25519::P-256;
                    ssl_conf_command Options PrioritizeChaCha;
                    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;
                    ssl_reject_handshake maybe;
                    ssl_session_tickets never;
                }""")).containsExactly(
                "test.conf:2:20: invalid value \"X25519::P-256\" in \"ssl_ecdh_curve\" (expected auto or "
                        + "CURVE[:CURVE...], e.g. X25519:prime256v1:secp384r1)",
                "test.conf:3:30: \"ssl_conf_command Options PrioritizeChaCha\" is not supported: proxyline reads only "
                        + "SessionTicket, -SessionTicket and ServerPreference (BoringSSL has no other of OpenSSL's "
                        + "options as a switch)",
                "test.conf:4:22: \"ssl_conf_command Ciphersuites\" is not supported: BoringSSL has no OpenSSL "
                        + "configuration commands; proxyline reads only Groups, Curves and Options SessionTicket, "
                        + "-SessionTicket, ServerPreference",
                "test.conf:5:26: invalid value \"maybe\" in \"ssl_reject_handshake\" directive, it must be \"on\" or "
                        + "\"off\"",
                "test.conf:6:25: invalid value \"never\" in \"ssl_session_tickets\" directive, it must be \"on\" or "
                        + "\"off\"");
    }

    @Test
    void aServerThatRejectsHandshakesNeedsNoCertificate() {
        LoadResult result = ConfigLoader.parse("test.conf", """
                http {
                    server { listen 443 ssl default_server; ssl_reject_handshake on; }
                    server { listen 443 ssl; server_name a.test; }
                }
                """, java.nio.file.Path.of("."));
        assertThat(((LoadResult.Loaded) result).warnings()).extracting(ConfigError::toString).containsExactly(
                "test.conf:3:14: no \"ssl_certificate\" is defined for server listening on TLS socket *:443: a "
                        + "self-signed development certificate will be used");
    }

    @Test
    void aServerWithSeveralCertificatesRefusesWhatOnlyOpenSslHonours() {
        assertThat(errors("""
                http {
                    ssl_session_tickets off;
                    server {
                        listen 443 ssl;
                        ssl_certificate rsa.crt; ssl_certificate_key rsa.key;
                        ssl_certificate ec.crt; ssl_certificate_key ec.key;
                        ssl_ecdh_curve X25519;
                        ssl_dhparam dh.pem;
                        ssl_reject_handshake off;
                    }
                }""")).containsExactly(
                "test.conf:2:5: \"ssl_session_tickets off\" is not supported in a server with several "
                        + "ssl_certificate: it runs on the JDK's TLS engine, which has no switch for it",
                "test.conf:7:9: \"ssl_ecdh_curve\" is not supported in a server with several ssl_certificate: it "
                        + "runs on the JDK's TLS engine, which has no switch for it");
    }
}
