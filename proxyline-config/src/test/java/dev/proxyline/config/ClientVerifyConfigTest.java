package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientVerifyConfigTest {
    @Test
    void offWithDepthOneByDefault() {
        assertThat(http("server { listen 443 ssl; }").servers().get(0).settings().tls().clientVerify())
                .isEqualTo(ClientVerify.OFF);
    }

    @Test
    void serverInheritsFromHttpAndOverrides() {
        HttpConfig c = http("""
                ssl_client_certificate ca.pem;
                ssl_verify_client on;
                server { listen 443 ssl; ssl_verify_depth 3; ssl_crl crl.pem; }
                server { listen 8443 ssl; ssl_verify_client optional_no_ca; ssl_trusted_certificate more.pem; }""");
        ClientVerify first = c.servers().get(0).settings().tls().clientVerify();
        assertThat(first.mode()).isEqualTo(ClientVerify.Mode.ON);
        assertThat(first.clientCertificate()).contains(new ClientVerify.File("ca.pem", new Position("test.conf", 2, 24)));
        assertThat(first.depth()).isEqualTo(3);
        assertThat(first.crl().map(ClientVerify.File::path)).contains("crl.pem");
        assertThat(first.trustedCertificate()).isEmpty();
        ClientVerify second = c.servers().get(1).settings().tls().clientVerify();
        assertThat(second.mode()).isEqualTo(ClientVerify.Mode.OPTIONAL_NO_CA);
        assertThat(second.depth()).isEqualTo(1);
        assertThat(second.trustedCertificate().map(ClientVerify.File::path)).contains("more.pem");
        assertThat(second.clientCertificate().map(ClientVerify.File::path)).contains("ca.pem");
    }

    @Test
    void optionalNoCaNeedsNoCertificateAuthority() {
        assertThat(http("server { listen 443 ssl; ssl_verify_client optional_no_ca; }").servers().get(0).settings()
                .tls().clientVerify().mode()).isEqualTo(ClientVerify.Mode.OPTIONAL_NO_CA);
    }

    @Test
    void onOrOptionalWithoutClientCertificateIsAnErrorAsInNginx() {
        assertThat(errors("""
                http {
                    server { listen 443 ssl; ssl_verify_client on; }
                    server { listen 8443 ssl; ssl_trusted_certificate ca.pem; ssl_verify_client optional; }
                }""")).containsExactly(
                "test.conf:2:30: no ssl_client_certificate for ssl_verify_client",
                "test.conf:3:63: no ssl_client_certificate for ssl_verify_client");
    }

    @Test
    void aPlainServerMayInheritVerifyWithoutCertificateAuthority() {
        assertThat(http("ssl_verify_client on;\nserver { listen 80; }").servers().get(0).settings().tls().clientVerify()
                .mode()).isEqualTo(ClientVerify.Mode.ON);
    }

    @Test
    void invalidValuesNameTheirPlace() {
        assertThat(errors("""
                http {
                    ssl_verify_client maybe;
                    ssl_verify_depth -1;
                    server { ssl_verify_client on off; }
                }""")).containsExactly(
                "test.conf:2:23: invalid value \"maybe\" in \"ssl_verify_client\" directive (expected on, off, "
                        + "optional or optional_no_ca)",
                "test.conf:3:22: invalid number \"-1\" in \"ssl_verify_depth\" directive (expected 0-2147483647)",
                "test.conf:4:14: invalid number of arguments in \"ssl_verify_client\" directive (expected 1, got 2)");
    }

    @Test
    void notAtLocationLevel() {
        assertThat(errors("http { server { location / { ssl_verify_client on; } } }")).hasSize(1)
                .allMatch(e -> e.startsWith("test.conf:1:30: ") && e.contains("ssl_verify_client"));
    }
}
