package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.AsciiLines;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import dev.proxyline.it.harness.UnixBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code http} block with {@code unix:PATH} upstreams, word for word, served by nginx and by proxyline, and
 * the same requests sent to both: {@code proxy_pass http://unix:PATH:/URI} (the path ends at the colon, the URI part
 * replaces the location's prefix), an {@code upstream} block of a UNIX-domain server with {@code keepalive} (the second
 * request reuses the first one's connection), a missing socket file (502) and one after it in an upstream block (the
 * next server). Each peer has a backend of its own, so the backend's connection numbers count one peer's connections.
 * Compared: the status, {@code $upstream_addr} (made neutral of the peer's directory) and what the backend saw; and
 * that each error log names the missing socket file.
 */
@Timeout(60)
class UnixUpstreamLikeNginxTest {
    private static final String HTTP = """
            upstream keep { server unix:%2$s; keepalive 2; }
            upstream failover { server unix:%3$s; server unix:%2$s; }
            server {
                listen %1$s;
                proxy_set_header Host $host;
                add_header X-Upstream $upstream_addr always;
                location /direct/ { proxy_pass http://unix:%2$s:/inner/; }
                location /keep/ {
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    proxy_pass http://keep;
                }
                location /missing/ { proxy_pass http://unix:%3$s; }
                location /next/ { proxy_pass http://failover; }
            }
            """;
    private static final List<String> REQUESTS = List.of(
            "GET /direct/a?x=1 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /keep/one HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /keep/two HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /missing/b HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /next/c HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

    @TempDir
    Path directory;

    @Test
    void unixUpstreamsAnswerAsNginxs() throws Exception {
        Run run = run(HTTP, REQUESTS);
        SideBySide.Summaries seen = run.seen();
        List<String> logged = run.logged();
        Path missing = run.missing();
        // Not equal by both failing alike: this is what nginx answered.
        assertThat(seen.nginx()).containsExactly(
                "GET /direct/a?x=1 HTTP/1.1 -> 200 [BACKEND] connection 1 request 1: GET /inner/a?x=1 app.test",
                "GET /keep/one HTTP/1.1 -> 200 [BACKEND] connection 2 request 1: GET /keep/one app.test",
                "GET /keep/two HTTP/1.1 -> 200 [BACKEND] connection 2 request 2: GET /keep/two app.test",
                "GET /missing/b HTTP/1.1 -> 502 [MISSING]",
                "GET /next/c HTTP/1.1 -> 200 [MISSING, BACKEND] connection 3 request 1: GET /next/c app.test");
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(Files.readString(directory.resolve("nginx/error.log")))
                .contains("connect() to unix:" + missing + " failed (2: No such file or directory) while connecting "
                        + "to upstream");
        assertThat(logged).anyMatch(line -> line.contains("No such file or directory")
                && line.contains("unix:" + missing));
    }

    private static final String VARIABLES = """
            server {
                listen %1$s;
                proxy_set_header Host $host;
                add_header X-Upstream $upstream_addr always;
                set $socket %2$s;
                set $gone %3$s;
                location /uri/ { proxy_pass http://unix:$socket:/inner$uri; }
                location /own/ { proxy_pass HTTP://unix:$socket; }
                location /query/ { proxy_pass http://unix:$socket:?$args; }
                location /missing/ { proxy_pass http://unix:$gone:/m; }
                location /path/ { proxy_pass http://unix:$arg_s:/x; }
            }
            """;
    private static final List<String> VARIABLE_REQUESTS = List.of(
            "GET /uri/a?x=1 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /own/b?y=2 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /query/c?z=3 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /missing/d HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /path/e HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
            "GET /path/f?s=/" + "s".repeat(107) + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

    /**
     * {@code proxy_pass} with variables that expand to {@code http://unix:PATH[:URI]}: the URI part or the request's
     * own, a query-only URI part, a missing socket file (502), no path and a too long one (500, nginx's words logged).
     */
    @Test
    void unixUrlsFromVariablesAnswerAsNginxs() throws Exception {
        Run run = run(VARIABLES, VARIABLE_REQUESTS);
        SideBySide.Summaries seen = run.seen();
        List<String> logged = run.logged();
        assertThat(seen.nginx()).containsExactly(
                "GET /uri/a?x=1 HTTP/1.1 -> 200 [BACKEND] connection 1 request 1: GET /inner/uri/a app.test",
                "GET /own/b?y=2 HTTP/1.1 -> 200 [BACKEND] connection 2 request 1: GET /own/b?y=2 app.test",
                "GET /query/c?z=3 HTTP/1.1 -> 200 [BACKEND] connection 3 request 1: GET /?z=3 app.test",
                "GET /missing/d HTTP/1.1 -> 502 [MISSING]",
                "GET /path/e HTTP/1.1 -> 500 [(none)]",
                "GET /path/f?s=/" + "s".repeat(107) + " HTTP/1.1 -> 500 [(none)]");
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        String tooLong = "too long path in the unix domain socket in upstream \"unix:/" + "s".repeat(107) + ":/x\"";
        assertThat(Files.readString(directory.resolve("nginx/error.log")))
                .contains("no path in the unix domain socket in upstream \"unix::/x\"").contains(tooLong);
        assertThat(logged).anyMatch(line -> line.contains("no path in the unix domain socket in upstream \"unix::/x\""))
                .anyMatch(line -> line.contains(tooLong));
    }

    /** What each server answered to {@code requests}, summarized, and proxyline's log lines while it answered. */
    private record Run(SideBySide.Summaries seen, List<String> logged, Path missing) {}

    /**
     * {@code requests} to nginx and proxyline serving {@code config} (its arguments: the listen, the socket of the
     * server's own {@code UnixBackend}, and a socket file that does not exist).
     */
    private Run run(String config, List<String> requests) throws Exception {
        Path nginxSocket = directory.resolve("nginx.sock");
        Path proxylineSocket = directory.resolve("proxyline.sock");
        Path missing = directory.resolve("missing.sock");
        try (UnixBackend forNginx = UnixBackend.start(nginxSocket, UnixUpstreamLikeNginxTest::serve);
             UnixBackend forProxyline = UnixBackend.start(proxylineSocket, UnixUpstreamLikeNginxTest::serve);
             LogCapture log = LogCapture.of("dev.proxyline")) {
            Function<InetSocketAddress, String> http = listen -> config.formatted(Loopback.hostPort(listen),
                    listen.getAddress().equals(Loopback.NGINX) ? nginxSocket : proxylineSocket, missing);
            SideBySide.Answers answers = SideBySide.ask(directory, http, requests);
            List<String> logged = log.lines();
            return new Run(answers.summarize(requests, SideBySide::requestLine,
                    answer -> summary(answer, nginxSocket, proxylineSocket, missing)), logged, missing);
        }
    }

    /** The status, the X-Upstream header with the socket paths named by role, and the body of a 200. */
    private static String summary(byte[] answer, Path nginxSocket, Path proxylineSocket, Path missing) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.lines().findFirst().orElseThrow().split(" ")[1];
        String upstream = text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-upstream:"))
                .map(l -> l.substring("x-upstream:".length()).trim()).findFirst().orElse("(none)")
                .replace("unix:" + nginxSocket, "BACKEND").replace("unix:" + proxylineSocket, "BACKEND")
                .replace("unix:" + missing, "MISSING");
        String body = status.equals("200") ? " " + text.substring(text.indexOf("\r\n\r\n") + 4).strip() : "";
        return status + " [" + upstream + "]" + body;
    }

    /** An HTTP/1.1 backend: answers each request with what it saw, until the proxy closes or asks to. */
    private static void serve(InputStream in, OutputStream out, int connection) throws IOException {
        for (int request = 1; ; request++) {
            String requestLine = AsciiLines.read(in);
            if (requestLine.isEmpty()) return;
            String host = "";
            boolean close = false;
            for (String field = AsciiLines.read(in); !field.isEmpty(); field = AsciiLines.read(in)) {
                String name = field.substring(0, field.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                String value = field.substring(field.indexOf(':') + 1).trim();
                if (name.equals("host")) host = value;
                if (name.equals("connection") && value.equalsIgnoreCase("close")) close = true;
            }
            String[] parts = requestLine.split(" ");
            close |= parts[2].equals("HTTP/1.0");
            byte[] body = ("connection " + connection + " request " + request + ": " + parts[0] + " " + parts[1] + " "
                    + host + "\n").getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (close) return;
        }
    }
}
