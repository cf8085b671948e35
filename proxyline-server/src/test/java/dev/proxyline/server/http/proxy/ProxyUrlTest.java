package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyUrlTest {
    @Test
    void aUrlWithoutPortOrUriTakesTheSchemesPort() throws Exception {
        assertThat(ProxyUrl.parse("http://app")).isEqualTo(new ProxyUrl(false, "app", 80, true, Optional.empty()));
        assertThat(ProxyUrl.parse("HTTPS://App.Test")).isEqualTo(
                new ProxyUrl(true, "App.Test", 443, true, Optional.empty()));
    }

    @Test
    void theUriPartStartsAtTheFirstSlashOrQuestionMark() throws Exception {
        assertThat(ProxyUrl.parse("http://10.0.0.1:8080/a/b?c=/d").uri()).contains("/a/b?c=/d");
        assertThat(ProxyUrl.parse("http://app:8080/").uri()).contains("/");
        // nginx puts a slash before a URI part that is only a query.
        assertThat(ProxyUrl.parse("http://app?x=1/y")).isEqualTo(
                new ProxyUrl(false, "app", 80, true, Optional.of("/?x=1/y")));
    }

    @Test
    void anIpv6HostKeepsItsBrackets() throws Exception {
        ProxyUrl url = ProxyUrl.parse("http://[::1]:9000/x");
        assertThat(url.host()).isEqualTo("[::1]");
        assertThat(url.bareHost()).isEqualTo("::1");
        assertThat(url.port()).isEqualTo(9000);
        assertThat(url.noPort()).isFalse();
    }

    @Test
    void whatNginxRefusesIsRefusedWithItsWords() {
        assertThatThrownBy(() -> ProxyUrl.parse("ftp://app")).hasMessage("invalid URL prefix in \"ftp://app\"");
        assertThatThrownBy(() -> ProxyUrl.parse("app:80")).hasMessage("invalid URL prefix in \"app:80\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://")).hasMessage("no host in upstream \"\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http:///x")).hasMessage("no host in upstream \"/x\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://app:0")).hasMessage("invalid port in upstream \"app:0\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://app:65536/")).hasMessage(
                "invalid port in upstream \"app:65536/\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://app:x")).isInstanceOf(ProxyUrl.Invalid.class);
        assertThatThrownBy(() -> ProxyUrl.parse("http://[::1")).isInstanceOf(ProxyUrl.Invalid.class);
    }
}
