package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code limit_except} blocks, word for word, in nginx and in proxyline, asked with every method (an unknown
 * one too): GET brings HEAD, the block's allow/deny replace the location's, auth_basic merges with the location's
 * directive by directive and with satisfy, the location's return and rewrite do not run for the limited methods
 * (their answer is then that of a location with nothing to serve, which is also asked: nginx's static module answers
 * 404 to GET, HEAD and POST and 405 to the other methods), the block's own proxy_pass serves them, a regex
 * location's captures stay, an error_page takes the 403, and a nested location has no block. Compared: the status,
 * WWW-Authenticate, X-Capture and the body of a 200 or of the page; what each upstream saw; and the error-log lines
 * each wrote for the refusals.
 */
@Timeout(120)
class LimitExceptLikeNginxTest {
    private static final String SERVER = """
                set_real_ip_from 127.0.0.0/8;
                server {
                    listen %1$s;
                    location /ro/ { limit_except GET { deny all; } proxy_pass http://%2$s; }
                    location /rules/ {
                        allow 10.0.0.0/8;
                        deny all;
                        limit_except GET { deny 10.9.0.0/16; allow all; }
                        proxy_pass http://%2$s;
                    }
                    location /auth/ {
                        deny 192.0.2.66;
                        auth_basic_user_file %4$s;
                        limit_except GET OPTIONS { auth_basic "writers"; }
                        proxy_pass http://%2$s;
                    }
                    location /any/ {
                        satisfy any;
                        allow 10.0.0.0/8;
                        deny all;
                        limit_except get { auth_basic any; auth_basic_user_file %4$s; }
                        proxy_pass http://%2$s;
                    }
                    location /return/ { limit_except GET { allow all; } return 200 "read\\n"; }
                    location /nothing/ { }
                    location /rewrite/ {
                        rewrite ^/rewrite/(.*)$ /rewritten/$1 break;
                        limit_except GET { allow all; }
                        proxy_pass http://%2$s;
                    }
                    location /split/ { limit_except GET { proxy_pass http://%3$s; } return 200 "read\\n"; }
                    location ~ ^/regex/(.*)$ {
                        add_header X-Capture "$1" always;
                        limit_except GET { allow all; }
                        proxy_pass http://%2$s;
                    }
                    location /page/ { error_page 403 /denied; limit_except GET { deny all; } proxy_pass http://%2$s; }
                    location = /denied { return 200 "denied page\\n"; }
                    location /nested/ {
                        limit_except GET { deny all; }
                        proxy_pass http://%2$s;
                        location /nested/inner/ { proxy_pass http://%2$s; }
                    }
                }
            """;
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "BREW");
    /** The kinds of error-log line both write for a refused request, with the request they name. */
    private static final Pattern REFUSAL = Pattern.compile("(access forbidden by rule|no user/password was provided "
            + "for basic authentication|user \"[^\"]*\": password mismatch).*request: \"([^\"]*)\"");

    @TempDir
    Path directory;

    @Test
    void eachMethodIsServedUnderTheBlockOrTheLocationAsNginxServesIt() throws Exception {
        Path users = Files.writeString(directory.resolve("htpasswd"), "writer:{PLAIN}secret\n");
        List<String> requests = new ArrayList<>();
        for (String method : METHODS) {
            for (String path : List.of("/ro/x", "/rewrite/x", "/split/x", "/regex/x", "/page/x", "/nested/x",
                    "/nested/inner/x")) {
                requests.add(request(method, path, "192.0.2.1", null));
            }
        }
        for (String method : METHODS) {
            requests.add(request(method, "/return/x", "192.0.2.1", null));
            requests.add(request(method, "/nothing/x", "192.0.2.1", null));
        }
        for (String method : List.of("GET", "HEAD", "POST", "BREW")) {
            for (String client : List.of("10.1.1.1", "10.9.1.1", "192.0.2.1")) {
                requests.add(request(method, "/rules/x", client, null));
            }
        }
        for (String method : List.of("GET", "OPTIONS", "POST", "DELETE")) {
            requests.add(request(method, "/auth/x", "192.0.2.1", null));
            requests.add(request(method, "/auth/x", "192.0.2.1", basic("writer:secret")));
            requests.add(request(method, "/auth/x", "192.0.2.1", basic("writer:wrong")));
            requests.add(request(method, "/auth/x", "192.0.2.66", basic("writer:secret")));
        }
        for (String method : List.of("GET", "POST")) {
            requests.add(request(method, "/any/x", "10.1.1.1", null));
            requests.add(request(method, "/any/x", "192.0.2.1", null));
            requests.add(request(method, "/any/x", "192.0.2.1", basic("writer:secret")));
        }
        SideBySide.Answers answers;
        List<HttpBackend.Seen> app;
        List<HttpBackend.Seen> writers;
        List<String> proxylineLog;
        try (HttpBackend appBackend = HttpBackend.start();
             HttpBackend writersBackend = HttpBackend.start();
             LogCapture log = LogCapture.of("dev.proxyline.server.app.http")) {
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen),
                    Loopback.hostPort(appBackend.address()), Loopback.hostPort(writersBackend.address()), users),
                    requests);
            app = appBackend.all("/rewritten/x");
            app = new ArrayList<>(app);
            app.addAll(appBackend.all("/rewrite/x"));
            writers = writersBackend.all("/split/x");
            log.awaitLine(l -> l.contains("password mismatch"), Duration.ofSeconds(5));
            proxylineLog = log.lines();
        }
        SideBySide.Summaries seen = answers.summarize(requests, LimitExceptLikeNginxTest::label,
                LimitExceptLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());

        // Not equal by both refusing everything: what nginx itself answered.
        assertThat(seen.nginx()).contains(
                "GET /ro/x from 192.0.2.1 with none -> 200 ok /ro/x",
                "HEAD /ro/x from 192.0.2.1 with none -> 200",
                "POST /ro/x from 192.0.2.1 with none -> 403",
                "BREW /ro/x from 192.0.2.1 with none -> 403",
                "GET /return/x from 192.0.2.1 with none -> 200 read",
                "POST /return/x from 192.0.2.1 with none -> 404",
                "PUT /return/x from 192.0.2.1 with none -> 405",
                "BREW /return/x from 192.0.2.1 with none -> 405",
                "HEAD /nothing/x from 192.0.2.1 with none -> 404",
                "DELETE /nothing/x from 192.0.2.1 with none -> 405",
                "GET /rewrite/x from 192.0.2.1 with none -> 200 ok /rewritten/x",
                "POST /rewrite/x from 192.0.2.1 with none -> 200 ok /rewrite/x",
                "GET /split/x from 192.0.2.1 with none -> 200 read",
                "PUT /split/x from 192.0.2.1 with none -> 200 ok /split/x",
                "POST /regex/x from 192.0.2.1 with none -> 200 X-Capture: x ok /regex/x",
                "POST /page/x from 192.0.2.1 with none -> 403 denied page",
                "POST /nested/inner/x from 192.0.2.1 with none -> 200 ok /nested/inner/x",
                "POST /rules/x from 10.1.1.1 with none -> 200 ok /rules/x",
                "POST /rules/x from 10.9.1.1 with none -> 403",
                "GET /rules/x from 192.0.2.1 with none -> 403",
                "OPTIONS /auth/x from 192.0.2.1 with none -> 200 ok /auth/x",
                "POST /auth/x from 192.0.2.1 with none -> 401 WWW-Authenticate: Basic realm=\"writers\"",
                "POST /auth/x from 192.0.2.1 with " + basic("writer:secret") + " -> 200 ok /auth/x",
                "POST /auth/x from 192.0.2.66 with " + basic("writer:secret") + " -> 403",
                "POST /any/x from 10.1.1.1 with none -> 200 ok /any/x",
                "POST /any/x from 192.0.2.1 with none -> 401 WWW-Authenticate: Basic realm=\"any\"");
        // The limited methods of /split/ went to the block's upstream, from both; /rewrite/'s to the path as sent.
        assertThat(writers).hasSize(2 * (METHODS.size() - 2));
        assertThat(writers).extracting(HttpBackend.Seen::method).doesNotContain("GET", "HEAD");
        assertThat(app).extracting(s -> s.method() + " " + s.path()).containsOnly("GET /rewritten/x",
                "HEAD /rewritten/x", "POST /rewrite/x", "PUT /rewrite/x", "DELETE /rewrite/x", "OPTIONS /rewrite/x",
                "PATCH /rewrite/x", "BREW /rewrite/x");

        // Each refusal logged by both, in nginx's words.
        String nginxLog = Files.readString(directory.resolve("nginx").resolve("error.log"));
        List<String> fromNginx = refusals(nginxLog.lines().toList());
        assertThat(fromNginx).contains("access forbidden by rule: POST /ro/x HTTP/1.1",
                "no user/password was provided for basic authentication: POST /auth/x HTTP/1.1",
                "user \"writer\": password mismatch: DELETE /auth/x HTTP/1.1");
        assertThat(refusals(proxylineLog)).containsExactlyInAnyOrderElementsOf(fromNginx);
    }

    private static List<String> refusals(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = REFUSAL.matcher(line);
            if (m.find()) found.add(m.group(1) + ": " + m.group(2));
        }
        return found;
    }

    private static String request(String method, String path, String client, String authorization) {
        return method + " " + path + " HTTP/1.1\r\nHost: a\r\nX-Real-IP: " + client + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Connection: close\r\n\r\n";
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String label(String request) {
        String authorization = request.lines().filter(l -> l.startsWith("Authorization: ")).findFirst()
                .map(l -> l.substring("Authorization: ".length())).orElse("none");
        String client = request.lines().filter(l -> l.startsWith("X-Real-IP: ")).findFirst().orElseThrow()
                .substring("X-Real-IP: ".length());
        String line = request.lines().findFirst().orElseThrow();
        return line.substring(0, line.lastIndexOf(' ')) + " from " + client + " with " + authorization + " -> ";
    }

    /** The status, WWW-Authenticate and X-Capture, and the body of a 200 or of the 403's page. */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4).strip();
        String status = head.lines().findFirst().orElse("(nothing) -").split(" ")[1];
        StringBuilder out = new StringBuilder(status);
        for (String name : List.of("WWW-Authenticate", "X-Capture")) {
            head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                    .forEach(l -> out.append(' ').append(name).append(": ")
                            .append(l.substring(name.length() + 1).strip()));
        }
        if ((status.equals("200") || body.equals("denied page")) && !body.isEmpty()) out.append(' ').append(body);
        return out.toString();
    }
}
