package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UriRewriteTest {
    @Test
    void withoutAUriPartTheRequestUriPassesAsReceived() {
        assertThat(UriRewrite.unchanged().apply("/a/%2e%2e/b?x=1", "/b")).isEqualTo("/a/%2e%2e/b?x=1");
    }

    @Test
    void theMatchedPrefixIsReplacedAndTheQueryKept() {
        UriRewrite r = new UriRewrite(Optional.of("/v2/"), "/api/", false);
        assertThat(r.apply("/api/users?id=7", "/api/users")).isEqualTo("/v2/users?id=7");
        assertThat(r.apply("/api/", "/api/")).isEqualTo("/v2/");
    }

    @Test
    void aReplacementWithoutTrailingSlashJoinsAsNginxDoes() {
        // nginx: location /app/ { proxy_pass http://u/x; } sends /app/y as /xy.
        assertThat(new UriRewrite(Optional.of("/x"), "/app/", false).apply("/app/y", "/app/y")).isEqualTo("/xy");
    }

    @Test
    void anExactLocationIsReplacedWhole() {
        assertThat(new UriRewrite(Optional.of("/status"), "/health", true).apply("/health?v", "/health"))
                .isEqualTo("/status?v");
    }

    @Test
    void aPathSpelledDifferentlyFromThePrefixUsesTheNormalizedPath() {
        UriRewrite r = new UriRewrite(Optional.of("/v2/"), "/api/", false);
        assertThat(r.apply("/x/../api/users", "/api/users")).isEqualTo("/v2/users");
    }

    @Test
    void aRewrittenUriGoesUpWithItsNewArgumentsAndThePrefixReplacedUnlessABreakInTheLocationMadeIt() {
        UriRewrite r = new UriRewrite(Optional.of("/v2/"), "/api/", false);
        assertThat(r.rewritten("/api/users", "id=7", false)).isEqualTo("/v2/users?id=7");
        assertThat(r.rewritten("/users", "", true)).as("proxy_pass's URI part ignored").isEqualTo("/users");
        assertThat(UriRewrite.unchanged().rewritten("/new/path", "a=1&b=2", false)).isEqualTo("/new/path?a=1&b=2");
        assertThat(new UriRewrite(Optional.of("/status"), "/health", true).rewritten("/health", "", false))
                .isEqualTo("/status");
    }

    @Test
    void aRewrittenPathEscapesWhatATargetCannotCarryButKeepsTheClientsEscapes() {
        assertThat(UriRewrite.escape("/a%2Fb/c")).isEqualTo("/a%2Fb/c");
        assertThat(UriRewrite.escape("/a b#c")).isEqualTo("/a%20b%23c");
        assertThat(UriRewrite.escape("/caf\u00e9")).isEqualTo("/caf%C3%A9");
        assertThat(UriRewrite.escape("/tab\there")).isEqualTo("/tab%09here");
    }
}
