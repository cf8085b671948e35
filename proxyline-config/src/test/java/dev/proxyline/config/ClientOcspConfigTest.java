package dev.proxyline.config;

import static dev.proxyline.config.TestConfigs.errors;
import static dev.proxyline.config.TestConfigs.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientOcspConfigTest {
    private static final String VERIFY = "ssl_verify_client on; ssl_client_certificate ca.pem; ";

    private static ClientOcsp server(String httpLevel, String serverBody) {
        return http(httpLevel + "\nserver { listen 443 ssl; " + serverBody + " }").servers().get(0).settings().tls()
                .clientVerify().ocsp();
    }

    private static String inServer(String body) {
        return "http {\n    server {\n        listen 443 ssl;\n        " + body + "\n    }\n}";
    }

    @Test
    void offByDefaultAndWhenTurnedOff() {
        assertThat(server("", VERIFY)).isEqualTo(ClientOcsp.OFF);
        assertThat(server("ssl_ocsp on; ssl_ocsp_cache shared:a:1m;", VERIFY + "ssl_ocsp off;"))
                .isEqualTo(ClientOcsp.OFF);
    }

    @Test
    void settingsAreInheritedFromHttpAndKeepTheResponderPlace() {
        ClientOcsp o = server("ssl_ocsp leaf; ssl_ocsp_cache shared:clients:10m; resolver 127.0.0.53;",
                VERIFY + "ssl_ocsp_responder http://127.0.0.1:8080/ocsp;");
        assertThat(o.mode()).isEqualTo(ClientOcsp.Mode.LEAF);
        assertThat(o.cache()).contains(new ClientOcsp.Cache("clients", 10L << 20));
        assertThat(o.responder()).contains(new Stapling.Responder("http://127.0.0.1:8080/ocsp",
                new Position("test.conf", 3, 98)));
        assertThat(o.resolver()).isPresent();
        assertThat(server("", VERIFY + "ssl_ocsp on; ssl_ocsp_cache off;"))
                .isEqualTo(new ClientOcsp(ClientOcsp.Mode.ON, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void badValuesAreNamedWithTheirPlace() {
        assertThat(errors(inServer(VERIFY + "ssl_ocsp maybe;"))).containsExactly(
                "test.conf:4:71: invalid value \"maybe\" in \"ssl_ocsp\" directive (expected on, off or leaf)");
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_cache foo;"))).containsExactly(
                "test.conf:4:90: invalid OCSP cache \"foo\" (expected off or shared:NAME:SIZE)");
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_cache shared::1m;"))).containsExactly(
                "test.conf:4:90: invalid OCSP cache \"shared::1m\" (expected off or shared:NAME:SIZE)");
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_cache shared:x:zz;"))).containsExactly(
                "test.conf:4:90: invalid OCSP cache \"shared:x:zz\" (expected off or shared:NAME:SIZE)");
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_cache shared:x:31k;"))).containsExactly(
                "test.conf:4:90: OCSP cache \"shared:x:31k\" is too small (at least 32k)");
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_responder ftp://127.0.0.1/;"))).containsExactly(
                "test.conf:4:94: invalid URL prefix in OCSP responder \"ftp://127.0.0.1/\" in \"ssl_ocsp_responder\""
                        + " (expected http://ADDRESS[:PORT][/PATH])");
    }

    @Test
    void theSmallestCacheIsEightPages() {
        assertThat(server("", VERIFY + "ssl_ocsp on; ssl_ocsp_cache shared:x:32k;").cache())
                .contains(new ClientOcsp.Cache("x", 32 * 1024));
    }

    @Test
    void aSecondCacheLineIsADuplicate() {
        assertThat(errors(inServer(VERIFY + "ssl_ocsp on; ssl_ocsp_cache shared:x:1m; ssl_ocsp_cache off;")))
                .containsExactly("test.conf:4:103: \"ssl_ocsp_cache\" directive is duplicate (first at line 4)");
    }

    @Test
    void optionalNoCaDoesNotGoWithOcspAsInNginx() {
        assertThat(errors(inServer(
                "ssl_verify_client optional_no_ca; ssl_client_certificate ca.pem; ssl_ocsp leaf;"))).containsExactly(
                "test.conf:4:74: \"ssl_ocsp\" is incompatible with \"ssl_verify_client optional_no_ca\"");
        assertThat(errors("""
                http {
                    ssl_ocsp on;
                    ssl_verify_client optional_no_ca;
                    server { listen 443 ssl; }
                }""")).containsExactly(
                "test.conf:2:5: \"ssl_ocsp\" is incompatible with \"ssl_verify_client optional_no_ca\"");
    }

    @Test
    void withoutClientVerificationOrOnAPlainServerNothingIsRefused() {
        assertThat(server("", "ssl_ocsp on;").mode()).isEqualTo(ClientOcsp.Mode.ON);
        assertThat(http("ssl_ocsp on; ssl_verify_client optional_no_ca;\nserver { listen 80; }").servers())
                .hasSize(1);
    }

    @Test
    void streamHasNoOcspCheck() {
        assertThat(errors("""
                stream {
                    server {
                        listen 443 ssl;
                        ssl_ocsp on;
                        proxy_pass 127.0.0.1:80;
                    }
                }""")).contains("test.conf:4:9: \"ssl_ocsp\" directive is not allowed in stream server (allowed in: http, "
                + "http server)");
    }
}
