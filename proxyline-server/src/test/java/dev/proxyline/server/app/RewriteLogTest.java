package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewrite_log}: the lines nginx 1.22 writes at notice for each rewrite-module regex and each URI or redirect a
 * rewrite makes (the wording taken from its error log), for the blocks that turn it on, and none for the others.
 */
@Timeout(30)
class RewriteLogTest {
    @TempDir
    Path dir;

    private static final String CONTEXT = ", client: 127.0.0.7, server: ex, request: \"%s\", host: \"a\"";

    @Test
    void eachRegexAndEachNewUriOrRedirectIsLoggedWhereRewriteLogIsOn() throws Exception {
        try (LogCapture lines = LogCapture.named("dev.proxyline.server.http.proxy.RewriteLog");
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        server_name ex;
                        rewrite_log on;
                        rewrite ^/a$ /b;
                        location /b { if ($uri ~ ^/(b)) { } rewrite ^/b$ /c?x=1 last; }
                        location /c { return 200 "c $args"; }
                        location /r { rewrite ^/r(.*)$ http://e.test/$1 redirect; }
                        location /n { rewrite_log off; rewrite ^/n$ /c last; }
                    }
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name quiet;
                        rewrite ^/a$ /c;
                        location /c { return 204; }
                    }
                }
                """.formatted(port));
             HttpExchangeClient client = rig.client()) {
            String first = CONTEXT.formatted("GET /a?q=1 HTTP/1.1");
            assertThat(linesOf(lines, client, "GET /a?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", 200)).containsExactly(
                    "\"^/a$\" matches \"/a\"" + first,
                    "rewritten data: \"/b\", args: \"q=1\"" + first,
                    "\"^/(b)\" matches \"/b\"" + first,
                    "\"^/b$\" matches \"/b\"" + first,
                    "rewritten data: \"/c\", args: \"x=1&q=1\"" + first);
            String redirect = CONTEXT.formatted("GET /rz?q=1 HTTP/1.1");
            assertThat(linesOf(lines, client, "GET /rz?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", 302)).containsExactly(
                    "\"^/a$\" does not match \"/rz\"" + redirect,
                    "\"^/r(.*)$\" matches \"/rz\"" + redirect,
                    "rewritten redirect: \"http://e.test/z?q=1\"" + redirect);
            assertThat(linesOf(lines, client, "GET /n HTTP/1.1\r\nHost: a\r\n\r\n", 200))
                    .as("the server's rewrite logs, the location's (off) does not")
                    .containsExactly("\"^/a$\" does not match \"/n\"" + CONTEXT.formatted("GET /n HTTP/1.1"));
            assertThat(linesOf(lines, client, "GET /a HTTP/1.1\r\nHost: quiet\r\n\r\n", 204))
                    .as("rewrite_log is off by default").isEmpty();
        }
    }

    /** The lines {@code request} made, once answered with {@code status}. */
    private static List<String> linesOf(LogCapture lines, HttpExchangeClient client, String request, int status)
            throws Exception {
        lines.lines.clear();
        client.send(request);
        assertThat(client.read().status()).isEqualTo(status);
        return List.copyOf(lines.lines);
    }
}
