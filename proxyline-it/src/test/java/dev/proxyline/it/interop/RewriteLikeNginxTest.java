package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code rewrite} directives, word for word, in nginx and in proxyline: at server level (before the location
 * is chosen) and in locations, with each flag and none (the next rules run, then the location is found again), the
 * arguments a replacement adds or replaces, captures numbered and named, {@code set} variables in a replacement,
 * redirects, a cycle, and what reaches the backend after a {@code break} (ingress-nginx's rewrite-target).
 */
@Timeout(60)
class RewriteLikeNginxTest {
    private static final String SERVER = """
                server {
                    listen %1$s;
                    rewrite ^/old/(.*)$ /new/$1 last;
                    rewrite ^/gone$ https://example.test/elsewhere permanent;
                    location /new/ { return 200 "new uri=$uri args=$args\\n"; }
                    location /final/ { return 200 "final uri=$uri args=$args\\n"; }
                    location ~* "^/app(/|$)(.*)" {
                        rewrite "(?i)/app(/|$)(.*)" /$2 break;
                        proxy_pass http://%2$s;
                    }
                    location /api/ {
                        rewrite ^/api/v1/(.*)$ /v2/$1 break;
                        proxy_pass http://%2$s/backend/;
                    }
                    location /chain/ {
                        rewrite ^/chain/a$ /chain/b;
                        rewrite ^/chain/b$ /final/x;
                    }
                    location /args/ { rewrite ^/args/(\\w+)$ /new/$1?from=args last; }
                    location /only/ { rewrite ^/only/(\\w+)$ /new/$1?only=this? last; }
                    location /loop/ { rewrite ^/loop/(.*)$ /loop/$1 last; }
                    location /redir/ { rewrite ^/redir/(.*)$ https://example.test/$1 redirect; }
                    location /named/ { rewrite "^/named/(?<word>[a-z]+)$" /new/$word last; }
                    location /set/ { set $v one; rewrite ^ /new/$v last; }
                    location /stop/ { rewrite ^ /new/first; break; rewrite ^ /new/second last; return 200 "stopped $uri\\n"; }
                    location /small/ { client_max_body_size 10; rewrite ^ /new/small last; return 200 "small\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyRequestIsRewrittenAsNginxDoesIt() throws Exception {
        List<String> requests = List.of(
                get("/old/page?q=1"), get("/gone?q=1"), get("/app/some/path?x=y"), get("/APP"),
                get("/api/v1/users?id=7"), get("/chain/a"), get("/args/word?orig=1"), get("/only/word?orig=1"),
                get("/loop/x"), get("/redir/a/b?k=v"), get("/named/hello"), get("/set/x"), get("/stop/x"),
                "POST /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" + "x".repeat(100));
        SideBySide.Answers answers;
        try (HttpBackend backend = HttpBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen), upstream),
                    requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine, SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both failing: nginx rewrote these.
        assertThat(seen.nginx().get(0)).endsWith("200 new uri=/new/page args=q=1");
        assertThat(seen.nginx().get(2)).endsWith("200 ok /some/path");
        assertThat(seen.nginx().get(4)).as("break ignores proxy_pass's URI part").endsWith("200 ok /v2/users");
        assertThat(seen.nginx().get(8)).endsWith("500");
        assertThat(seen.nginx().get(9)).endsWith("302 https://example.test/a/b?k=v");
        assertThat(seen.nginx().get(12)).as("break skips the return after it").endsWith("404");
        assertThat(seen.nginx().get(13)).as("the body size is checked before the rewrites").endsWith("413");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

}
