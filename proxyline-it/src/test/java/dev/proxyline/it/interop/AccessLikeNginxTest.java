package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code allow} / {@code deny} lines, word for word, in nginx and in proxyline, with clients of several
 * addresses (realip from {@code X-Real-IP}): the first matching rule decides, a level with rules of its own replaces
 * the outer ones, IPv4 and IPv6 rules meet their own family (an IPv4-mapped address counts as IPv4), {@code return}
 * answers before the rules are checked and a location with nothing to serve after.
 */
@Timeout(60)
class AccessLikeNginxTest {
    private static final String SERVER = """
                set_real_ip_from 127.0.0.0/8;
                server {
                    listen %1$s;
                    allow 10.0.0.0/8;
                    deny all;
                    location / { proxy_pass http://%2$s; }
                    location /own/ { deny 10.1.0.0/16; allow all; proxy_pass http://%2$s; }
                    location /v6/ { allow 2001:db8::/32; allow 10.2.3.4; deny all; proxy_pass http://%2$s; }
                    location /answered/ { return 200 "answered\\n"; }
                    location /nothing/ { }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyClientIsLetInOrRefusedAsNginxDoesIt() throws Exception {
        List<String> requests = List.of(
                get("/", "10.1.1.1"), get("/", "192.0.2.1"),
                get("/own/x", "10.1.1.1"), get("/own/x", "192.0.2.1"), get("/own/x", "10.9.1.1"),
                get("/v6/x", "2001:db8::1"), get("/v6/x", "2001:db9::1"), get("/v6/x", "10.2.3.4"),
                get("/v6/x", "::ffff:10.2.3.4"), get("/v6/x", "10.2.3.5"),
                get("/answered/x", "192.0.2.1"),
                get("/nothing/x", "192.0.2.1"), get("/nothing/x", "10.1.1.1"));
        SideBySide.Answers answers;
        try (HttpBackend backend = HttpBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen), upstream),
                    requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, request -> request.lines().findFirst().orElseThrow()
                + " from " + request.lines().filter(l -> l.startsWith("X-Real-IP")).findFirst().orElseThrow() + " -> ",
                AccessLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // Not equal by both refusing everything: nginx let these in and refused those.
        assertThat(seen.nginx().get(0)).endsWith("200 ok /");
        assertThat(seen.nginx().get(1)).endsWith("403");
        assertThat(seen.nginx().get(8)).endsWith("200 ok /v6/x");
        assertThat(seen.nginx().get(10)).endsWith("200 answered");
        assertThat(seen.nginx().get(12)).endsWith("404");
    }

    private static String get(String path, String client) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nX-Real-IP: " + client + "\r\nConnection: close\r\n\r\n";
    }

    /** The status, and the body of a 200 (error pages are each product's own). */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.lines().findFirst().orElseThrow().split(" ")[1];
        return status.equals("200") ? status + " " + text.substring(text.indexOf("\r\n\r\n") + 4).strip() : status;
    }
}
