package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * http {@code proxy_pass} with variables, word for word in nginx and in proxyline: a variable naming an upstream
 * block (with and without a port), an address with and without a URI part, {@code $request_uri} appended, a name
 * looked up through {@code resolver} on a DNS server this test runs on loopback, a name it does not know, one it
 * does not answer for ({@code resolver_timeout}), no resolver, and a URL of the wrong scheme. The two backends are
 * servers of nginx's own block (each answers with its name and the URI it got), so both proxies reach the same ones.
 */
@Timeout(60)
class ProxyPassVariablesLikeNginxTest {
    private static final String SERVER = """
                upstream backends { server %2$s; }
                server {
                    listen %1$s;
                    location /literal/ { proxy_pass http://%3$s; }
                    location /upstream/ { set $u backends; proxy_pass http://$u; }
                    location /upstream-port/ { set $u backends:80; proxy_pass http://$u; }
                    location /upstream-uri/ { set $u backends; proxy_pass http://$u$request_uri; }
                    location /address/ { set $t %3$s; proxy_pass http://$t; }
                    location /fixed/ { set $t %3$s; proxy_pass http://$t/fixed/path?q=1; }
                    location /rewritten/ { set $t %3$s; rewrite ^/rewritten/(.*)$ /new/$1 break; proxy_pass http://$t; }
                    location /named/ {
                        resolver %4$s ipv6=off;
                        set $n app.test;
                        proxy_pass http://$n:%5$d;
                    }
                    location /named-uri/ {
                        resolver %4$s ipv6=off;
                        set $n APP.test;
                        proxy_pass http://$n:%5$d/from-dns$is_args$args;
                    }
                    location /unknown/ { resolver %4$s ipv6=off; set $n gone.test; proxy_pass http://$n:%5$d; }
                    location /silent/ {
                        resolver %4$s ipv6=off;
                        resolver_timeout 1s;
                        set $n silent.test;
                        proxy_pass http://$n:%5$d;
                    }
                    location /no-resolver/ { set $n app.test; proxy_pass http://$n:%5$d; }
                    location /scheme/ { set $s ftp; proxy_pass $s://%3$s; }
                }
            """;
    /** The backends, in nginx's block only: one answering as "b1", the other as "b2". */
    private static final String BACKENDS = """
                server { listen %s; location / { return 200 "b1 $request_uri\\n"; } }
                server { listen %s; location / { return 200 "b2 $request_uri\\n"; } }
            """;

    @TempDir
    Path directory;

    @Test
    void everyRequestGetsNginxsAnswer() throws Exception {
        InetSocketAddress b1 = Loopback.freePort(Loopback.BACKEND);
        InetSocketAddress b2 = Loopback.freePort(Loopback.BACKEND);
        List<String> requests = List.of(
                get("/literal/a?x=1"),
                get("/upstream/a%20b?x=1"),
                get("/upstream-port/a"),
                get("/upstream-uri/c?y=2"),
                get("/address/d"),
                get("/fixed/e?z=3"),
                get("/rewritten/f?w=4"),
                get("/named/g?v=5"),
                get("/named-uri/h?u=6"),
                get("/unknown/i"),
                get("/silent/j"),
                get("/no-resolver/k"),
                get("/scheme/l"));
        SideBySide.Answers answers;
        try (DnsResponder dns = DnsResponder.start(Map.of("app.test", List.of(Loopback.BACKEND)),
                Set.of("silent.test"))) {
            String resolver = Loopback.hostPort(dns.address());
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen),
                    Loopback.hostPort(b1), Loopback.hostPort(b2), resolver, b2.getPort())
                    + (listen.getAddress().equals(Loopback.NGINX)
                            ? BACKENDS.formatted(Loopback.hostPort(b1), Loopback.hostPort(b2)) : ""), requests);
            assertThat(dns.asked()).contains("app.test A", "gone.test A", "silent.test A");
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // What nginx answered, so that the two cannot agree by both failing.
        assertThat(seen.nginx()).containsExactly(
                "GET /literal/a?x=1 HTTP/1.1 -> 200 b2 /literal/a?x=1",
                "GET /upstream/a%20b?x=1 HTTP/1.1 -> 200 b1 /upstream/a%20b?x=1",
                "GET /upstream-port/a HTTP/1.1 -> 502",
                "GET /upstream-uri/c?y=2 HTTP/1.1 -> 200 b1 /upstream-uri/c?y=2",
                "GET /address/d HTTP/1.1 -> 200 b2 /address/d",
                "GET /fixed/e?z=3 HTTP/1.1 -> 200 b2 /fixed/path?q=1",
                "GET /rewritten/f?w=4 HTTP/1.1 -> 200 b2 /new/f?w=4",
                "GET /named/g?v=5 HTTP/1.1 -> 200 b2 /named/g?v=5",
                "GET /named-uri/h?u=6 HTTP/1.1 -> 200 b2 /from-dns?u=6",
                "GET /unknown/i HTTP/1.1 -> 502",
                "GET /silent/j HTTP/1.1 -> 502",
                "GET /no-resolver/k HTTP/1.1 -> 502",
                "GET /scheme/l HTTP/1.1 -> 500");
        // And nginx's error log has the words proxyline logs for them.
        String nginxLog = Files.readString(directory.resolve("nginx").resolve("error.log"), StandardCharsets.UTF_8);
        assertThat(nginxLog).contains("no resolver defined to resolve backends",
                "gone.test could not be resolved (3: Host not found)",
                "silent.test could not be resolved (110: Operation timed out)",
                "no resolver defined to resolve app.test", "invalid URL prefix in \"ftp://");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    }
}
