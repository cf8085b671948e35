package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
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
    void anAddressIsKeptAsOneWithItsPortAndPath() throws Exception {
        assertThat(usable("http://127.0.0.1:8888/ocsp")).isEqualTo(new OcspResponderUrl("127.0.0.1", 8888, "/ocsp",
                Optional.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))));
        assertThat(usable("HTTP://127.0.0.1")).isEqualTo(new OcspResponderUrl("127.0.0.1", 80, "/",
                Optional.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))));
        OcspResponderUrl v6 = usable("http://[::1]:8888");
        assertThat(v6.host()).isEqualTo("[::1]");
        assertThat(v6.port()).isEqualTo(8888);
        assertThat(v6.literal()).contains(InetAddress.getByName("::1"));
    }

    @Test
    void aNameIsKeptAsWrittenToBeLookedUp() {
        assertThat(usable("http://localhost:8888/")).isEqualTo(new OcspResponderUrl("localhost", 8888, "/",
                Optional.empty()));
        assertThat(usable("http://OCSP.Example/a/b?c")).isEqualTo(new OcspResponderUrl("OCSP.Example", 80, "/a/b?c",
                Optional.empty()));
    }

    @Test
    void aPortOfDigitsFrom1To65535OnlyIsReadAndProblemsQuoteTheUrlWithoutItsScheme() {
        for (String port : new String[] {"0", "65536", "", "x80", "+80", "123456"}) {
            assertThat(problem("http://127.0.0.1:" + port + "/"))
                    .isEqualTo("invalid port in OCSP responder \"127.0.0.1:" + port + "/\"");
        }
        assertThat(problem("http://:80/")).isEqualTo("no host in OCSP responder \":80/\"");
        assertThat(problem("http://[::1/")).isEqualTo("invalid IPv6 address in OCSP responder \"[::1/\"");
        assertThat(problem("http://[zz]/")).isEqualTo("invalid IPv6 address in OCSP responder \"[zz]/\"");
    }

    @Test
    void anotherSchemeIsNotAsked() {
        assertThat(problem("https://127.0.0.1/")).isEqualTo("invalid URL prefix in OCSP responder \"https://127.0.0.1/\"");
        assertThat(problem("http://")).isEqualTo("invalid URL prefix in OCSP responder \"http://\"");
    }

    @Test
    void thePeerIsWrittenAsNginxWritesAnAddress() throws Exception {
        assertThat(OcspResponderUrl.peer(InetAddress.getByName("::1"), 80)).isEqualTo("[::1]:80");
        assertThat(OcspResponderUrl.peer(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}), 8080))
                .isEqualTo("127.0.0.2:8080");
    }
}
