package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * limit_req end to end: rejections with limit_req_status, a delayed request answered later with its body intact,
 * dry runs, a client that leaves while delayed, and the $limit_req_status / $limit_conn_status variables in the
 * access log. Rates are slow (per minute) so that nothing depends on tight timing.
 */
@Timeout(60)
class LimitReqProxyTest {
    @TempDir
    Path dir;

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    /** Waits until {@code file} has {@code count} lines. */
    private static List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= count) return lines;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " lines in " + file + " within 5 s");
    }

    @Test
    void requestsBeyondTheBurstGetLimitReqStatusOnAConnectionThatStaysOpen() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             LogCapture errors = LogCapture.of(Class.forName("dev.proxyline.server.http.proxy.LimitLog"));
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    limit_req_zone $binary_remote_addr zone=two:1m rate=1r/m;
                    log_format limits '$uri $status $limit_req_status';
                    access_log limits.log limits;
                    server {
                        listen 127.0.0.1:%d;
                        server_name limited;
                        location /a { limit_req zone=one burst=1 nodelay; proxy_pass http://127.0.0.1:%d; }
                        location /b { limit_req zone=two; limit_req_status 429; proxy_pass http://127.0.0.1:%d; }
                        location /free { proxy_pass http://127.0.0.1:%d; }
                        location /answered { limit_req zone=two; return 200 "[$limit_req_status]"; }
                    }
                }
                """.formatted(port, backend.port(), backend.port(), backend.port()));
             HttpExchangeClient client = rig.client()) {
            int[] statuses = new int[7];
            String[] paths = {"/a", "/a", "/a", "/b", "/b", "/free", "/answered"};
            for (int i = 0; i < paths.length; i++) {
                client.send(get(paths[i]));
                statuses[i] = client.read().status();
            }
            assertThat(statuses).containsExactly(200, 200, 503, 200, 429, 200, 200);
            client.send(get("/answered"));
            assertThat(client.read().body()).as("return comes before limit_req, as in nginx").isEqualTo("[]");
            assertThat(backend.requests).hasSize(4);
            assertThat(awaitLines(dir.resolve("limits.log"), 8)).containsExactly("/a 200 PASSED", "/a 200 PASSED",
                    "/a 503 REJECTED", "/b 200 PASSED", "/b 429 REJECTED", "/free 200 -", "/answered 200 -",
                    "/answered 200 -");
            // The first rejection's line at limit_req_log_level; the second, within 10 s of it, falls to debug.
            assertThat(errors.lines).first().asString().matches("limiting requests, excess: [12]\\.\\d{3} by zone \"one\", client: "
                    + "127\\.0\\.0\\.\\d+, server: limited, request: \"GET /a HTTP/1\\.1\", host: \"a\"");
        }
    }

    @Test
    void aDelayedRequestIsAnsweredLaterAndItsBodyReachesTheBackendWhole() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;
                    log_format limits '$request_method $uri $status $limit_req_status';
                    access_log limits.log limits;
                    server {
                        listen 127.0.0.1:%d;
                        location / { limit_req zone=one burst=5; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient client = rig.client()) {
            client.send(get("/first"));
            assertThat(client.read().status()).isEqualTo(200);
            long start = System.nanoTime();
            // Head and the body's start in one write, the rest while the request waits.
            client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello");
            Thread.sleep(200);
            client.send(" world");
            HttpExchangeClient.Response echoed = client.read();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo("hello world");
            // About a second (the excess of one request at 1r/s), less what passed since the first.
            assertThat(waited).isBetween(500L, 5_000L);
            assertThat(awaitLines(dir.resolve("limits.log"), 2))
                    .containsExactly("GET /first 200 PASSED", "POST /echo 200 DELAYED");
        }
    }

    @Test
    void aClientThatLeavesWhileDelayedEndsItsRequestAs499AndTheBackendNeverSeesIt() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    log_format limits '$uri $status $limit_req_status';
                    access_log limits.log limits;
                    server {
                        listen 127.0.0.1:%d;
                        location / { limit_req zone=one burst=3; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()))) {
            try (HttpExchangeClient client = rig.client()) {
                client.send(get("/first"));
                assertThat(client.read().status()).isEqualTo(200);
                client.send("POST /waits HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"); // a minute's wait
                Thread.sleep(200);
            }
            assertThat(awaitLines(dir.resolve("limits.log"), 2)).containsExactly("/first 200 PASSED",
                    "/waits 499 DELAYED");
            assertThat(backend.requests.poll(300, TimeUnit.MILLISECONDS).uri()).isEqualTo("/first");
            assertThat(backend.requests).isEmpty();
        }
    }

    @Test
    void dryRunsDecideAndLogButNeitherRefuseNorDelay() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
                    limit_req_zone $binary_remote_addr zone=two:1m rate=1r/m;
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    log_format limits '$uri $status $limit_req_status $limit_conn_status';
                    access_log limits.log limits;
                    limit_req_dry_run on;
                    server {
                        listen 127.0.0.1:%d;
                        location /rejected { limit_req zone=one; proxy_pass http://127.0.0.1:%d; }
                        location /delayed { limit_req zone=two burst=5; proxy_pass http://127.0.0.1:%d; }
                        location /slow {
                            limit_conn addr 1;
                            limit_conn_dry_run on;
                            proxy_read_timeout 1s;
                            proxy_pass http://127.0.0.1:%d;
                        }
                    }
                }
                """.formatted(port, backend.port(), backend.port(), backend.port()));
             HttpExchangeClient client = rig.client();
             HttpExchangeClient held = rig.client()) {
            for (String path : List.of("/rejected", "/rejected", "/delayed", "/delayed")) {
                long start = System.nanoTime();
                client.send(get(path));
                assertThat(client.read().status()).isEqualTo(200);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("not delayed").isLessThan(10_000L);
            }
            held.send(get("/slow")); // the backend never answers: 504 after proxy_read_timeout
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS)).isNotNull();
            client.send(get("/slow"));
            assertThat(held.read().status()).isEqualTo(504);
            assertThat(client.read().status()).as("over limit_conn, but a dry run").isEqualTo(504);
            List<String> lines = awaitLines(dir.resolve("limits.log"), 6);
            assertThat(lines.subList(0, 4)).containsExactly("/rejected 200 PASSED -",
                    "/rejected 200 REJECTED_DRY_RUN -", "/delayed 200 PASSED -", "/delayed 200 DELAYED_DRY_RUN -");
            assertThat(lines.subList(4, 6)).containsExactlyInAnyOrder("/slow 504 - PASSED",
                    "/slow 504 - REJECTED_DRY_RUN");
        }
    }

    /**
     * limit_conn writes its own lines (not through limit_req's logger): a key at its cap is logged as nginx logs it, a
     * key refused because the zone is full is not, as in nginx (and in stream).
     */
    @Test
    void limitConnLogsAKeyAtItsCapInItsOwnLinesAndAFullZoneWithoutALine() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             LogCapture connLines = LogCapture.named("dev.proxyline.server.http.proxy.LimitLog.limit_conn");
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_conn_zone $http_x_key zone=tiny:64;
                    server {
                        listen 127.0.0.1:%d;
                        server_name limited;
                        location / { limit_conn tiny 1; proxy_read_timeout 1s; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient held = rig.client();
             HttpExchangeClient client = rig.client()) {
            held.send("GET /slow HTTP/1.1\r\nHost: a\r\nX-Key: first\r\n\r\n"); // never answered: 504 after 1 s
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS)).isNotNull();
            client.send("GET /x HTTP/1.1\r\nHost: a\r\nX-Key: second\r\n\r\n");
            assertThat(client.read().status()).as("the zone holds one key: full").isEqualTo(503);
            client.send("GET /y HTTP/1.1\r\nHost: a\r\nX-Key: first\r\n\r\n");
            assertThat(client.read().status()).as("the key at its cap").isEqualTo(503);
            assertThat(connLines.lines).containsExactly("limiting connections by zone \"tiny\", client: 127.0.0.7, "
                    + "server: limited, request: \"GET /y HTTP/1.1\", host: \"a\"");
            assertThat(held.read().status()).isEqualTo(504);
        }
    }
}
