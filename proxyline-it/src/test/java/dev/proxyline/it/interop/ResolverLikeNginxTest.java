package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resolver} as nginx 1.22's, side by side: each DNS failure's words and status (the answer's RCODE, a FORMERR
 * that nginx ignores until {@code resolver_timeout}, a NOERROR answer without an address), a failure looked up again
 * on the next request while a found name is kept, lookups taking turns over two servers, a silent server left for the
 * next one after nginx's 5 seconds, both A and AAAA asked with {@code ipv6=on}, a CNAME followed, and a server given as
 * {@code localhost}. nginx and proxyline each have DNS servers of their own, so the questions each asked are counted
 * apart and compared.
 */
@Timeout(120)
class ResolverLikeNginxTest {
    private static final String SERVER = """
                server {
                    listen %1$s;
                    resolver_timeout 1s;
                    location /servfail/ { resolver %2$s ipv6=off; set $n servfail.test; proxy_pass http://$n:%7$d; }
                    location /notimp/ { resolver %2$s ipv6=off; set $n notimp.test; proxy_pass http://$n:%7$d; }
                    location /refused/ { resolver %2$s ipv6=off; set $n refused.test; proxy_pass http://$n:%7$d; }
                    location /formerr/ { resolver %2$s ipv6=off; set $n formerr.test; proxy_pass http://$n:%7$d; }
                    location /empty/ { resolver %2$s ipv6=off; set $n empty.test; proxy_pass http://$n:%7$d; }
                    location /gone/ { resolver %2$s ipv6=off; set $n gone.test; proxy_pass http://$n:%7$d; }
                    location /found/ { resolver %2$s ipv6=off; set $n app.test; proxy_pass http://$n:%7$d; }
                    location /both/ { resolver %2$s; set $n both.test; proxy_pass http://$n:%7$d; }
                    location /alias/ { resolver %2$s ipv6=off; set $n alias.test; proxy_pass http://$n:%7$d; }
                    location /turns/ { resolver %3$s %4$s ipv6=off; set $n turns.test; proxy_pass http://$n:%7$d; }
                    location /failover/ {
                        resolver %5$s %2$s ipv6=off;
                        resolver_timeout 8s;
                        set $n failover.test;
                        proxy_pass http://$n:%7$d;
                    }
                    location /localhost/ { resolver %6$s ipv6=off; set $n local.test; proxy_pass http://$n:%7$d; }
                }
            """;
    private static final String BACKEND = """
                server { listen %s; location / { return 200 "backend $request_uri\\n"; } }
            """;
    private static final DnsResponder.Script MAIN = new DnsResponder.Script(
            Map.of("app.test", List.of(Loopback.BACKEND), "both.test", List.of(Loopback.BACKEND),
                    "failover.test", List.of(Loopback.BACKEND), "target.test", List.of(Loopback.BACKEND)),
            Set.of(), Map.of("servfail.test", 2, "notimp.test", 4, "refused.test", 5, "formerr.test", 1,
            "empty.test", 0), Map.of(), Map.of("alias.test", "target.test"));
    private static final DnsResponder.Script NXDOMAIN = new DnsResponder.Script(Map.of(), Set.of());
    private static final DnsResponder.Script SILENT = new DnsResponder.Script(Map.of(), Set.of("failover.test"));
    private static final DnsResponder.Script LOCAL = new DnsResponder.Script(
            Map.of("local.test", List.of(Loopback.BACKEND)), Set.of());

    @TempDir
    Path directory;

    /** One proxy's DNS servers. */
    private record Servers(DnsResponder main, DnsResponder first, DnsResponder second, DnsResponder silent,
                           DnsResponder local) implements AutoCloseable {
        static Servers start(List<InetAddress> localhost) {
            return new Servers(DnsResponder.start(MAIN, List.of(Loopback.BACKEND)),
                    DnsResponder.start(NXDOMAIN, List.of(Loopback.BACKEND)),
                    DnsResponder.start(NXDOMAIN, List.of(Loopback.BACKEND)),
                    DnsResponder.start(SILENT, List.of(Loopback.BACKEND)),
                    DnsResponder.start(LOCAL, localhost));
        }

        String server(String http, InetSocketAddress listen, int backendPort) {
            return http.formatted(Loopback.hostPort(listen), Loopback.hostPort(main.address()),
                    Loopback.hostPort(first.address()), Loopback.hostPort(second.address()),
                    Loopback.hostPort(silent.address()), "localhost:" + local.address().getPort(), backendPort);
        }

        /** What each server was asked, by server, sorted within each. */
        List<String> questions() {
            List<String> all = new ArrayList<>();
            for (var named : List.of(Map.entry("main", main), Map.entry("first", first), Map.entry("second", second),
                    Map.entry("silent", silent), Map.entry("local", local))) {
                List<String> asked = new ArrayList<>(named.getValue().asked());
                Collections.sort(asked);
                asked.forEach(q -> all.add(named.getKey() + ": " + q));
            }
            return all;
        }

        @Override
        public void close() {
            List.of(main, first, second, silent, local).forEach(DnsResponder::close);
        }
    }

    @Test
    void failuresRotationAndResendAreNginxs() throws Exception {
        List<InetAddress> localhost = List.of(InetAddress.getAllByName("localhost"));
        InetSocketAddress backend = Loopback.freePort(Loopback.BACKEND);
        List<String> requests = List.of(get("/servfail/"), get("/notimp/"), get("/refused/"), get("/formerr/"),
                get("/empty/"), get("/gone/1"), get("/gone/2"), get("/found/1"), get("/found/2"), get("/both/"),
                get("/alias/"),
                get("/turns/1"), get("/turns/2"), get("/turns/3"), get("/turns/4"), get("/failover/"),
                get("/localhost/"));
        SideBySide.Answers answers;
        List<String> nginxQuestions;
        List<String> ourQuestions;
        List<String> ourLog;
        try (Servers forNginx = Servers.start(localhost); Servers forUs = Servers.start(localhost);
             LogCapture lines = LogCapture.of("dev.proxyline.server.app.http")) {
            answers = SideBySide.ask(directory, listen -> listen.getAddress().equals(Loopback.NGINX)
                    ? forNginx.server(SERVER, listen, backend.getPort()) + BACKEND.formatted(Loopback.hostPort(backend))
                    : forUs.server(SERVER, listen, backend.getPort()), requests, Duration.ofSeconds(10));
            nginxQuestions = forNginx.questions();
            ourQuestions = forUs.questions();
            ourLog = lines.lines();
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /servfail/ HTTP/1.1 -> 502",
                "GET /notimp/ HTTP/1.1 -> 502",
                "GET /refused/ HTTP/1.1 -> 502",
                "GET /formerr/ HTTP/1.1 -> 502",
                "GET /empty/ HTTP/1.1 -> 502",
                "GET /gone/1 HTTP/1.1 -> 502",
                "GET /gone/2 HTTP/1.1 -> 502",
                "GET /found/1 HTTP/1.1 -> 200 backend /found/1",
                "GET /found/2 HTTP/1.1 -> 200 backend /found/2",
                "GET /both/ HTTP/1.1 -> 200 backend /both/",
                "GET /alias/ HTTP/1.1 -> 200 backend /alias/",
                "GET /turns/1 HTTP/1.1 -> 502",
                "GET /turns/2 HTTP/1.1 -> 502",
                "GET /turns/3 HTTP/1.1 -> 502",
                "GET /turns/4 HTTP/1.1 -> 502",
                "GET /failover/ HTTP/1.1 -> 200 backend /failover/",
                "GET /localhost/ HTTP/1.1 -> 200 backend /localhost/");
        assertThat(ourQuestions).containsExactlyElementsOf(nginxQuestions);
        // What nginx asked: a failure is asked again, a name found is not; A and AAAA together; lookups take turns
        // over two servers; a query left unanswered goes to the next server.
        assertThat(nginxQuestions).containsSubsequence(
                "main: alias.test A", "main: app.test A", "main: both.test A", "main: both.test AAAA",
                "main: empty.test A",
                "main: failover.test A", "main: formerr.test A", "main: gone.test A", "main: gone.test A",
                "main: notimp.test A", "main: refused.test A", "main: servfail.test A", "main: target.test A",
                "first: turns.test A", "first: turns.test A", "second: turns.test A", "second: turns.test A",
                "silent: failover.test A", "local: local.test A");
        assertThat(nginxQuestions).filteredOn(q -> q.contains("app.test")).hasSize(1);
        String nginxLog = Files.readString(directory.resolve("nginx").resolve("error.log"), StandardCharsets.UTF_8);
        List<String> words = List.of("servfail.test could not be resolved (2: Server failure)",
                "notimp.test could not be resolved (4: Unimplemented)",
                "refused.test could not be resolved (5: Operation refused)",
                "formerr.test could not be resolved (110: Operation timed out)",
                "empty.test could not be resolved (3: Host not found)",
                "gone.test could not be resolved (3: Host not found)",
                "turns.test could not be resolved (3: Host not found)");
        assertThat(nginxLog).contains(words);
        assertThat(String.join("\n", ourLog)).contains(words);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    }
}
