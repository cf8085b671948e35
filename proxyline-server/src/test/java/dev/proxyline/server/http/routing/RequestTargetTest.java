package dev.proxyline.server.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void originFormAndEverythingButHttpUrlsAreRoutedAsSent() {
        for (String target : new String[] {"/", "/a?b", "*", "ftp://h/x", "http:/x", "httpx://h/", ""}) {
            assertThat(RequestTarget.of(target)).as(target).isSameAs(RequestTarget.AS_SENT);
        }
    }

    @Test
    void absoluteFormGivesItsHostAndTheOriginFormThatRemains() {
        assertThat(RequestTarget.of("http://example.test/abs?x=1"))
                .isEqualTo(new RequestTarget.Absolute("example.test", "/abs?x=1"));
        assertThat(RequestTarget.of("HTTPS://Example.Test:8443"))
                .isEqualTo(new RequestTarget.Absolute("Example.Test:8443", "/"));
        assertThat(RequestTarget.of("http://[::1]:80?q")).isEqualTo(new RequestTarget.Absolute("[::1]:80", "/?q"));
    }

    @Test
    void anAbsoluteFormWithoutAUsableHostIsABadHost() {
        assertThat(RequestTarget.of("http:///x")).isInstanceOf(RequestTarget.BadHost.class);
        assertThat(RequestTarget.of("http://user@example.test/")).isInstanceOf(RequestTarget.BadHost.class);
    }
}
