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

    @Test
    void aUnixSocketsPathEndsAtTheFirstColonAndTheRestIsTheUri() throws Exception {
        assertThat(ProxyUrl.parse("http://unix:/run/app.sock:/a:b?c=d")).isEqualTo(new ProxyUrl(false, "localhost",
                80, true, Optional.of("/a:b?c=d"), Optional.of("/run/app.sock")));
        assertThat(ProxyUrl.parse("HTTPS://UNIX:/run/app.sock")).isEqualTo(new ProxyUrl(true, "localhost", 443, true,
                Optional.empty(), Optional.of("/run/app.sock")));
        // A colon with nothing after it: no URI part, so the request's own URI, as with nginx.
        assertThat(ProxyUrl.parse("http://unix:/run/app.sock:").uri()).isEmpty();
        assertThat(ProxyUrl.parse("http://unix:/run/app.sock:?x=1").uri()).contains("/?x=1");
        // Slashes and question marks belong to the path until the colon.
        assertThat(ProxyUrl.parse("http://unix:/run/a?b/app.sock").socket()).contains("/run/a?b/app.sock");
    }

    @Test
    void aUnixSocketsPathIsCheckedWithNginxsWords() throws Exception {
        String longest = "/" + "s".repeat(106);
        assertThatThrownBy(() -> ProxyUrl.parse("http://unix:")).hasMessage(
                "no path in the unix domain socket in upstream \"unix:\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://unix::/x")).hasMessage(
                "no path in the unix domain socket in upstream \"unix::/x\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://unix:" + longest + "s")).hasMessage(
                "too long path in the unix domain socket in upstream \"unix:" + longest + "s\"");
        assertThatThrownBy(() -> ProxyUrl.parse("http://unix:/run/a\0b")).isInstanceOf(ProxyUrl.Invalid.class);
        assertThat(ProxyUrl.parse("http://unix:" + longest + ":/x").socket()).contains(longest);
    }
}
