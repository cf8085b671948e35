package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                    location /first/ { return 200 "first $uri\\n"; rewrite ^ /new/first last; }
                    location /between/ { rewrite ^/between/a$ /new/a last; return 200 "between $uri\\n"; rewrite ^ /new/b last; }
                    location /under/ { rewrite "^/under/(?<my_word>\\w+)/(?P<_z>\\w+)$" /new/$my_word-$_z last; }
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
                "POST /small/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\nConnection: close\r\n\r\n" + "x".repeat(100),
                get("/first/x"), get("/between/a"), get("/between/c"), get("/under/one/two"));
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
        assertThat(seen.nginx().get(14)).as("a return before the rewrites answers first").endsWith("200 first /first/x");
        assertThat(seen.nginx().get(15)).endsWith("200 new uri=/new/a args=");
        assertThat(seen.nginx().get(16)).endsWith("200 between /between/c");
        assertThat(seen.nginx().get(17)).as("group names with _").endsWith("200 new uri=/new/one-two args=");
    }

    private static final String CAPTURES = """
                server {
                    listen %1$s;
                    rewrite ^/srv/(\\w+)$ /plain/$1;
                    rewrite ^/srv2/(\\w+)$ /ng/$1;
                    location /plain/ { return 200 "plain [$1]\\n"; }
                    location /l/ { rewrite ^/l/(\\w+)$ /plain/$1 last; }
                    location ~ ^/ng/ { return 200 "no groups [$1]\\n"; }
                    location ~ "^/cap/(?<first_part>[a-z]+)/(.*)$" { return 200 "cap [$1] [$2] [$first_part]\\n"; }
                    location ~* ^/miss/(.*)$ { if ($uri ~ nomatch(.*)) { } return 200 "miss [$1]\\n"; }
                    location ~ ^/setcap/(\\d+)$ { set $n "n=$1"; return 200 "$n\\n"; }
                    location /rwn/ { rewrite "^/rwn/(?<rest_x>.*)$" /rwn/done; return 200 "rwn [$rest_x] [$1] [$uri]\\n"; }
                    location ~ ^/(out)/ { location ~ ^/out/(in)$ { return 200 "nested [$1]\\n"; } }
                }
            """;

    /** Which regex's captures a later directive sees: a regex location's, a rewrite's, an if's, as nginx keeps them. */
    @Test
    void capturesStayForTheDirectivesAfterTheirRegexAsInNginx() throws Exception {
        List<String> requests = List.of(get("/srv/abc"), get("/srv2/abc"), get("/l/abc"), get("/cap/word/rest/of"), get("/MISS/x"),
                get("/setcap/42"), get("/rwn/a/b"),
                get("/out/in"));
        SideBySide.Answers answers = SideBySide.ask(directory,
                listen -> CAPTURES.formatted(Loopback.hostPort(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine, SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx().get(0)).as("the server's second rewrite missed: no captures").endsWith("200 plain []");
        assertThat(seen.nginx().get(1)).as("a regex location without groups empties them")
                .endsWith("200 no groups []");
        assertThat(seen.nginx().get(2)).as("a prefix location keeps the rewrite's, regex locations that missed too")
                .endsWith("200 plain [abc]");
        assertThat(seen.nginx().get(3)).endsWith("200 cap [word] [rest/of] [word]");
        assertThat(seen.nginx().get(4)).as("an if's miss empties the location's").endsWith("200 miss []");
        assertThat(seen.nginx().get(5)).endsWith("200 n=42");
        assertThat(seen.nginx().get(6)).endsWith("200 rwn [a/b] [a/b] [/rwn/done]");
        assertThat(seen.nginx().get(7)).endsWith("200 nested [in]");
    }

    private static final String LOGGED = """
                server {
                    listen %1$s;
                    rewrite_log on;
                    rewrite ^/a$ /b;
                    location /b { if ($uri ~ ^/(b)) { } rewrite ^/b$ /c?x=1 last; }
                    location /c { return 200 "c $args\\n"; }
                    location /r { rewrite ^/r(.*)$ http://e.test/$1 redirect; }
                    location /n { rewrite_log off; rewrite ^/n$ /c last; }
                    location /i { rewrite_log off; if ($uri ~ ^/i) { rewrite_log on; } rewrite ^ /c last; }
                }
            """;

    /** nginx's notice lines without their time, level, process and connection: {@code *1 }. */
    private static final Pattern NGINX_PREFIX = Pattern.compile("^.*? \\[notice\\] \\d+#\\d+: \\*\\d+ ");

    /** {@code rewrite_log on}: the same lines as nginx's error log, word for word, for the same requests. */
    @Test
    void rewriteLogWritesTheLinesNginxWrites() throws Exception {
        List<String> requests = List.of(get("/a?q=1"), get("/rz?q=1"), get("/n"), get("/i"));
        List<String> fromProxyline;
        try (LogCapture lines = LogCapture.of("dev.proxyline.server.http.proxy.RewriteLog")) {
            SideBySide.ask(directory, listen -> LOGGED.formatted(Loopback.hostPort(listen)), requests);
            fromProxyline = lines.lines();
        }
        List<String> fromNginx = Files.readAllLines(directory.resolve("nginx").resolve("error.log")).stream()
                .map(NGINX_PREFIX::matcher).filter(Matcher::find).map(m -> m.replaceFirst(""))
                .filter(line -> line.contains(" match") || line.startsWith("rewritten ")).toList();
        assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        assertThat(fromNginx).as("an if's rewrite_log changes nothing").hasSize(10);
        assertThat(fromNginx.get(0)).startsWith("\"^/a$\" matches \"/a\", client: 127.0.0.7, server: , request: "
                + "\"GET /a?q=1 HTTP/1.1\", host: \"a\"");
        assertThat(fromNginx.get(7)).startsWith("rewritten redirect: \"http://e.test/z?q=1\"");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

}
