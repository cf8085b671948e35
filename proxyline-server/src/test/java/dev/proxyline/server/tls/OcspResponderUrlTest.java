package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OcspResponderUrlTest {
    private static OcspResponderUrl usable(String url) {
        OcspResponderUrl.Parsed parsed = OcspResponderUrl.parse(url);
        assertThat(parsed).isInstanceOf(OcspResponderUrl.Usable.class);
        return ((OcspResponderUrl.Usable) parsed).url();
    }

    private static String problem(String url) {
        OcspResponderUrl.Parsed parsed = OcspResponderUrl.parse(url);
        assertThat(parsed).isInstanceOf(OcspResponderUrl.Unusable.class);
        return ((OcspResponderUrl.Unusable) parsed).problem();
    }

    @Test
    void anAddressWithOrWithoutAPortIsAskedThere() {
        assertThat(usable("http://127.0.0.1:8888/ocsp").uri().toString()).isEqualTo("http://127.0.0.1:8888/ocsp");
        assertThat(usable("HTTP://127.0.0.1").uri().toString()).isEqualTo("http://127.0.0.1:80/");
        assertThat(usable("http://[::1]:8888").uri().toString()).isEqualTo("http://[0:0:0:0:0:0:0:1]:8888/");
        assertThat(usable("http://localhost:8888/").host()).isEqualTo("localhost");
    }

    @Test
    void aPortOfDigitsFrom1To65535OnlyIsRead() {
        for (String port : new String[] {"0", "65536", "", "x80", "+80", "123456"}) {
            assertThat(problem("http://127.0.0.1:" + port + "/"))
                    .isEqualTo("invalid port in OCSP responder \"http://127.0.0.1:" + port + "/\"");
        }
    }

    @Test
    void anotherSchemeOrAHostNameIsNotAsked() {
        assertThat(problem("https://127.0.0.1/")).isEqualTo("invalid URL prefix in OCSP responder \"https://127.0.0.1/\"");
        assertThat(problem("http://ocsp.example/")).contains("names a host");
    }
}
