package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaplingConfigTest {
    private static Stapling server(String httpLevel, String serverBody) {
        return http(httpLevel + "\nserver { listen 443 ssl; " + serverBody + " }").servers().get(0).settings().tls()
                .stapling();
    }

    @Test
    void offByDefaultAndWhenTurnedOff() {
        assertThat(server("", "")).isEqualTo(Stapling.OFF);
        assertThat(server("ssl_stapling on; ssl_stapling_file a.der;", "ssl_stapling off;")).isEqualTo(Stapling.OFF);
    }

    @Test
    void settingsAreInheritedFromHttpAndKeepTheirPlaces() {
        Stapling s = server("ssl_stapling on; ssl_stapling_verify on;",
                "ssl_stapling_responder http://127.0.0.1:8080/ocsp; ssl_trusted_certificate ca.pem;");
        assertThat(s.on()).isTrue();
        assertThat(s.verify()).isTrue();
        assertThat(s.file()).isEmpty();
        assertThat(s.responder()).contains(new Stapling.Responder("http://127.0.0.1:8080/ocsp",
                new Position("test.conf", 3, 49)));
        assertThat(s.trusted()).contains(new ClientVerify.File("ca.pem", new Position("test.conf", 3, 101)));
        assertThat(server("ssl_stapling on;", "ssl_stapling_file /etc/staple.der;").file())
                .isEqualTo(Optional.of(new ClientVerify.File("/etc/staple.der", new Position("test.conf", 3, 44))));
    }

    @Test
    void streamHasNoStapling() {
        // nginx's stream ssl module has no stapling either.
        assertThat(errors("stream { server { listen 443 ssl; ssl_stapling on; } }"))
                .anySatisfy(e -> assertThat(e).startsWith("test.conf:1:35: \"ssl_stapling\" directive is not allowed in "
                        + "stream server"));
    }

    @Test
    void errorsNameTheirPlace() {
        assertThat(errors("""
                http {
                    ssl_stapling yes;
                    server {
                        ssl_stapling on;
                        ssl_stapling_verify maybe;
                        ssl_stapling_responder http://;
                        ssl_stapling_file;
                    }
                }""")).containsExactly(
                "test.conf:2:18: invalid value \"yes\" in \"ssl_stapling\" directive, it must be \"on\" or \"off\"",
                "test.conf:5:29: invalid value \"maybe\" in \"ssl_stapling_verify\" directive, it must be \"on\" or "
                        + "\"off\"",
                "test.conf:6:32: invalid URL \"http://\" in \"ssl_stapling_responder\" (expected "
                        + "http://ADDRESS[:PORT][/PATH])",
                "test.conf:7:9: invalid number of arguments in \"ssl_stapling_file\" directive (expected 1, got 0)");
    }

    @Test
    void theServersResolverLooksUpTheResponder() throws UnknownHostException {
        InetAddress server = InetAddress.getByName("127.0.0.53");
        Stapling own = server("ssl_stapling on;", "resolver 127.0.0.53 ipv6=off; resolver_timeout 5s;");
        assertThat(own.resolver()).hasValueSatisfying(r -> {
            assertThat(r.servers()).containsExactly(new Endpoint.Inet(server, 53));
            assertThat(r.ipv6()).isFalse();
            assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(5));
        });
        assertThat(server("resolver 127.0.0.53:5353; ssl_stapling on;", "").resolver().orElseThrow().servers())
                .containsExactly(new Endpoint.Inet(server, 5353));
        assertThat(server("ssl_stapling on;", "").resolver()).isEmpty();
    }

    @Test
    void aWrongResolverIsReportedOnceWhereItIsWritten() {
        assertThat(errors("""
                http {
                    ssl_stapling on;
                    resolver 127.0.0.53:dns;
                    server { listen 443 ssl; }
                    server { listen 444 ssl; }
                }""")).containsExactly("test.conf:3:14: invalid port in resolver \"127.0.0.53:dns\"");
    }
}
