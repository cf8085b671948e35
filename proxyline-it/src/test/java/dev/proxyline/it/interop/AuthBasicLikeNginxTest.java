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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code auth_basic} lines and htpasswd file, word for word, in nginx and in proxyline: every password
 * scheme both read (hashes made by {@code openssl passwd} and crypt(3), bcrypt in its three prefixes, password
 * "secret"), a wrong password, an unknown user, no and malformed credentials, the Authorization field twice,
 * {@code satisfy all} and {@code any} with allow/deny (clients by realip from {@code X-Real-IP}), {@code auth_basic
 * off}, a realm with a variable and quotes, an {@code error_page} for 401, a missing user file, and
 * {@code $remote_user} (in {@code add_header ... always}, and in a location without auth_basic). Compared: the
 * status, WWW-Authenticate, X-User and the body of a 200 or of the page.
 */
@Timeout(60)
class AuthBasicLikeNginxTest {
    private static final String USERS = """
            # one user per scheme, password "secret"
            plain:{PLAIN}secret
            sha:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=
            ssha:{SSHA}Wcm1xEisNjqp921ALcHfuQ7avFdzYWx0MTIzNA==
            apr1:$apr1$UTBZFE/x$7A/sfhwvr2XaGxpeSaIOD0
            md5:$1$wW9iY/tD$rvNvinY7pW4DGPcLp6EJt.
            sha256:$5$o8y74r6JZkMNOaPi$eo8ge/0d5J6Yk17qAgTVmwzeiRObflD9F3BUJn/Ujw/
            sha512:$6$PTvxFzlBJiFZnJS4$CyX0lAXHjY34yIbqlmKe.4p475OJm5YltTOYarL711hWCHZo6RuDMKRnMJSFyIJTXq9wlfZm.ZgEvGYxIY4HA0
            des:abNANd1rDfiNc
            bcrypt2y:$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
            bcrypt2b:$2b$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
            bcrypt2a:$2a$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a
            comment:{PLAIN}secret:the third field is a comment
            nopassword
            """;
    private static final List<String> SCHEMES =
            List.of("plain", "sha", "ssha", "apr1", "md5", "sha256", "sha512", "des", "bcrypt2y", "bcrypt2b",
                    "bcrypt2a", "comment");

    private static final String SERVER = """
                set_real_ip_from 127.0.0.0/8;
                server {
                    listen %1$s;
                    add_header X-User "$remote_user" always;
                    location / { auth_basic "Staff \\"only\\" $uri"; auth_basic_user_file %3$s; proxy_pass http://%2$s; }
                    location /off/ { auth_basic off; proxy_pass http://%2$s; }
                    location /all/ {
                        allow 10.0.0.0/8; deny all;
                        auth_basic all; auth_basic_user_file %3$s; proxy_pass http://%2$s;
                    }
                    location /any/ {
                        satisfy any; allow 10.0.0.0/8; deny all;
                        auth_basic any; auth_basic_user_file %3$s; proxy_pass http://%2$s;
                    }
                    location /page/ {
                        error_page 401 /denied;
                        auth_basic page; auth_basic_user_file %3$s; proxy_pass http://%2$s;
                    }
                    location = /denied { return 200 "denied page\\n"; }
                    location /missing/ { auth_basic m; auth_basic_user_file %4$s; proxy_pass http://%2$s; }
                    location /user/ { return 200 "user=$remote_user\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void credentialsAreCheckedAndAnsweredAsNginxDoesIt() throws Exception {
        Path users = Files.writeString(directory.resolve("htpasswd"), USERS);
        Path missing = directory.resolve("no-such-htpasswd");
        List<String> requests = new ArrayList<>();
        for (String user : SCHEMES) requests.add(get("/a/x", "192.0.2.1", basic(user + ":secret")));
        requests.addAll(List.of(
                get("/a/x", "192.0.2.1", null),
                get("/a/x", "192.0.2.1", basic("plain:wrong")),
                get("/a/x", "192.0.2.1", basic("nobody:secret")),
                get("/a/x", "192.0.2.1", basic("nopassword:secret")),
                get("/a/x", "192.0.2.1", "Basic !!!"),
                get("/a/x", "192.0.2.1", "Basic " + b64("nocolon")),
                get("/a/x", "192.0.2.1", "Bearer " + b64("plain:secret")),
                get("/a/x", "192.0.2.1", "basic    " + b64("plain:secret")),
                get("/a/x", "192.0.2.1", basic("plain:secret") + "\r\nAuthorization: " + basic("plain:secret")),
                get("/off/x", "192.0.2.1", null),
                get("/off/x", "192.0.2.1", basic("plain:wrong")),
                get("/all/x", "10.1.1.1", null),
                get("/all/x", "10.1.1.1", basic("plain:secret")),
                get("/all/x", "192.0.2.1", null),
                get("/all/x", "192.0.2.1", basic("plain:secret")),
                get("/any/x", "10.1.1.1", null),
                get("/any/x", "192.0.2.1", null),
                get("/any/x", "192.0.2.1", basic("plain:wrong")),
                get("/any/x", "192.0.2.1", basic("plain:secret")),
                get("/page/x", "192.0.2.1", null),
                get("/page/x", "192.0.2.1", basic("plain:secret")),
                get("/missing/x", "192.0.2.1", null),
                get("/missing/x", "192.0.2.1", basic("plain:secret")),
                get("/user/x", "192.0.2.1", basic("someone:anything")),
                get("/user/x", "192.0.2.1", null)));
        SideBySide.Answers answers;
        List<HttpBackend.Seen> upstream;
        List<String> proxylineLog;
        try (HttpBackend backend = HttpBackend.start();
             LogCapture log = LogCapture.of("dev.proxyline.server.app.http")) {
            String app = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen), app, users,
                    missing), requests);
            upstream = backend.all("/a/x");
            log.awaitLine(l -> l.contains("user \"nobody\" was not found"), Duration.ofSeconds(5));
            proxylineLog = log.lines();
        }
        SideBySide.Summaries seen = answers.summarize(requests, AuthBasicLikeNginxTest::label,
                AuthBasicLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both refusing everything: what nginx itself answered.
        for (int i = 0; i < SCHEMES.size(); i++) {
            assertThat(seen.nginx().get(i)).endsWith("-> 200 X-User: " + SCHEMES.get(i) + " ok /a/x");
        }
        assertThat(seen.nginx().get(SCHEMES.size()))
                .endsWith("-> 401 WWW-Authenticate: Basic realm=\"Staff \"only\" /a/x\""); // no X-User: empty
        assertThat(seen.nginx().get(SCHEMES.size() + 1)).contains("-> 401 ").endsWith("X-User: plain");
        assertThat(seen.nginx()).filteredOn(s -> s.contains("/any/x") && s.contains("10.1.1.1")).singleElement()
                .asString().endsWith("-> 200 ok /any/x");
        assertThat(seen.nginx()).filteredOn(s -> s.contains("/all/x") && s.contains("192.0.2.1"))
                .allMatch(s -> s.contains("-> 403"));
        assertThat(seen.nginx()).filteredOn(s -> s.contains("/page/x") && s.contains("none")).singleElement()
                .asString().contains("-> 401 WWW-Authenticate: Basic realm=\"page\"").endsWith("denied page");
        assertThat(seen.nginx()).filteredOn(s -> s.contains("/missing/x") && !s.contains("none")).singleElement()
                .asString().contains("-> 403");
        // The Authorization field goes upstream as it came, from both.
        assertThat(upstream).hasSize(2 * (SCHEMES.size() + 1));
        for (int i = 0; i < SCHEMES.size(); i++) {
            String sent = basic(SCHEMES.get(i) + ":secret");
            assertThat(upstream.get(2 * i).header("authorization")).contains(sent);
            assertThat(upstream.get(2 * i + 1).header("authorization")).contains(sent);
        }
        // nginx's error-log wording, which proxyline writes too.
        String nginxLog = Files.readString(directory.resolve("nginx").resolve("error.log"));
        for (String line : List.of("user \"plain\": password mismatch",
                "no user/password was provided for basic authentication",
                "client sent duplicate header line: \"Authorization",
                "user \"nobody\" was not found in \"" + users + "\"",
                "open() \"" + missing + "\" failed (")) {
            assertThat(nginxLog).contains(line);
            assertThat(proxylineLog).anyMatch(l -> l.contains(line) && l.contains("request: \"GET "));
        }
    }

    private static String get(String path, String client, String authorization) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nX-Real-IP: " + client + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Connection: close\r\n\r\n";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String basic(String userColonPassword) {
        return "Basic " + b64(userColonPassword);
    }

    private static String label(String request) {
        String authorization = request.lines().filter(l -> l.startsWith("Authorization: ")).findFirst()
                .map(l -> l.substring("Authorization: ".length())).orElse("none");
        String client = request.lines().filter(l -> l.startsWith("X-Real-IP: ")).findFirst().orElseThrow();
        return request.lines().findFirst().orElseThrow() + " from " + client + " with " + authorization + " -> ";
    }

    /** The status, WWW-Authenticate and X-User, and the body of a 200 or of the 401's page (others are each product's own). */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        String body = text.substring(text.indexOf("\r\n\r\n") + 4).strip();
        String status = head.lines().findFirst().orElseThrow().split(" ")[1];
        StringBuilder out = new StringBuilder(status);
        for (String name : List.of("WWW-Authenticate", "X-User")) {
            head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                    .forEach(l -> out.append(' ').append(name).append(": ").append(l.substring(name.length() + 1).strip()));
        }
        if (status.equals("200") || body.equals("denied page")) out.append(' ').append(body);
        return out.toString();
    }
}
