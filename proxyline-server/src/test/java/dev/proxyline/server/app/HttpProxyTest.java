package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code proxyline run}'s http part, end to end on loopback: a client at 127.0.0.7, the ingress, a backend. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpProxyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theBackendSeesTheClientBehindABalancersProxyHeader(int version) throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            int ingress = Rig.freePort();
            try (HttpRig rig = HttpRig.start(dir, balancer -> """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_protocol on;
                            proxy_protocol_version %d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    http {
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.1;
                            real_ip_header proxy_protocol;
                            location / { proxy_pass http://127.0.0.1:%d; }
                        }
                    }
                    """.formatted(balancer, version, ingress, ingress, backend.port()));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET /hello?x=1 HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n");
                HttpExchangeClient.Response r = c.read();

                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("got 0 bytes for /hello?x=1");
                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("X-Real-IP")).isEqualTo("127.0.0.7");
                assertThat(seen.header("X-Forwarded-For")).endsWith("127.0.0.7").doesNotContain("198.51.100.1");
                assertThat(seen.header("Host")).isEqualTo("app.test");
                assertThat(seen.header("X-Forwarded-Host")).isEqualTo("app.test");
                assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
                assertThat(seen.header("X-Request-ID")).matches("[0-9a-f]{32}");
            }
        }
    }

    @Test
    void anUntrustedClientCannotSpoofItsAddress() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        set_real_ip_from 10.0.0.0/8;
                        real_ip_header X-Forwarded-For;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.2.3.4\r\nX-Real-IP: 5.6.7.8\r\n"
                    + "X-Request-ID: chosen-by-client\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);

            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("X-Real-IP")).isEqualTo("127.0.0.7");
            assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.7");
            assertThat(seen.header("X-Request-ID")).isNotEqualTo("chosen-by-client");
        }
    }

    @Test
    void requestsAreRoutedByHostAndLocationWithNginxsUriReplacement() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; }
                    server {
                        listen 127.0.0.1:%d;
                        server_name a.test;
                        location /api/ { proxy_pass http://app/v2/; }
                        location = /health { return 200 "fine"; }
                        location /old { return 301 http://example.org/new; }
                        location / { proxy_pass http://app; }
                    }
                    server {
                        listen 127.0.0.1:%d;
                        server_name b.test;
                        return 403;
                    }
                }
                """.formatted(backend.port(), port, port));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /api/users?id=7 HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /v2/users?id=7");
            c.send("GET /other/x HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /other/x");
            c.send("GET /health HTTP/1.1\r\nHost: a.test\r\n\r\n");
            HttpExchangeClient.Response health = c.read();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("fine");
            c.send("GET /old HTTP/1.1\r\nHost: A.TEST:80\r\n\r\n");
            HttpExchangeClient.Response moved = c.read();
            assertThat(moved.status()).isEqualTo(301);
            assertThat(moved.headers().get("location")).isEqualTo("http://example.org/new");
            c.send("GET / HTTP/1.1\r\nHost: b.test\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(403);
        }
    }

    @Test
    void chunkedAndContentLengthBodiesStreamBothWays() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
            HttpExchangeClient.Response fixed = c.read();
            assertThat(fixed.status()).isEqualTo(200);
            assertThat(fixed.body()).isEqualTo("hello world");

            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            HttpExchangeClient.Response chunked = c.read();
            assertThat(chunked.body()).isEqualTo("hello world");
            assertThat(chunked.headers().get("transfer-encoding")).isEqualTo("chunked");

            c.send("GET /bytes?n=300000 HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response download = c.read();
            assertThat(download.bodyLength()).isEqualTo(300000);
            assertThat(download.headers().get("content-length")).isEqualTo("300000");
        }
    }

    @Test
    void anHttp10ClientGetsTheResponseAndTheConnectionCloses() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.send("POST /echo HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc");
            HttpExchangeClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("abc");
            assertThat(r.headers()).doesNotContainKey("transfer-encoding");
        }
    }

    @Test
    void upstreamFailuresAre502And504() throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            int closed = Backend.closedPort();
            try (HttpRig rig = HttpRig.start(dir, port -> """
                    http {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_read_timeout 300ms;
                            location / { proxy_pass http://127.0.0.1:%d; }
                            location /refused { proxy_pass http://127.0.0.1:%d; }
                        }
                    }
                    """.formatted(port, backend.port(), closed))) {
                try (HttpExchangeClient c = rig.client()) {
                    c.send("GET /refused HTTP/1.1\r\nHost: a\r\n\r\n");
                    HttpExchangeClient.Response r = c.read();
                    assertThat(r.status()).isEqualTo(502);
                    assertThat(r.body()).contains("Bad Gateway");
                }
                try (HttpExchangeClient c = rig.client()) {
                    c.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.read().status()).isEqualTo(504);
                }
                try (HttpExchangeClient c = rig.client()) {
                    c.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.read().status()).isEqualTo(502);
                }
            }
        }
    }

    @Test
    void return444ClosesTheConnectionWithoutAResponseAndLogs444() throws Exception {
        try (HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    log_format status '$host $status $bytes_sent';
                    access_log access.log status;
                    server {
                        listen 127.0.0.1:%1$d default_server;
                        return 444;
                    }
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name known.test;
                        location / { return 200 "known\n"; }
                    }
                }
                """.formatted(port))) {
            try (HttpExchangeClient unknown = rig.client()) {
                unknown.send("GET / HTTP/1.1\r\nHost: unknown.test\r\n\r\n");
                assertThat(unknown.socket.getInputStream().readAllBytes()).isEmpty();
            }
            try (HttpExchangeClient known = rig.client()) {
                known.send("GET / HTTP/1.1\r\nHost: known.test\r\n\r\n");
                assertThat(known.read().body()).isEqualTo("known\n");
            }
            List<String> logged = rig.awaitLogLines("access.log", 2);
            assertThat(logged.get(0)).isEqualTo("unknown.test 444 0");
            assertThat(logged.get(1)).startsWith("known.test 200 ");
        }
    }

    @Test
    void anAbsoluteFormRequestIsServedForTheHostInItsRequestLine() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%1$d default_server;
                        return 444;
                    }
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name known.test;
                        location /app/ { proxy_pass http://127.0.0.1:%2$d; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            // RFC 9112 §3.2.2: the request line's host wins over the Host header.
            c.send("GET http://known.test/app/x?y=1 HTTP/1.1\r\nHost: unknown.test\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /app/x?y=1");
            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("Host")).isEqualTo("known.test");
        }
    }

    @Test
    void returnTextTakesVariablesAsNginxDoes() throws Exception {
        try (HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { return 200 "client $remote_addr asked for $request_uri by $http_x_who\\n"; }
                    }
                }
                """.formatted(port));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /x?y=1 HTTP/1.1\r\nHost: a\r\nX-Who: bob\r\n\r\n");
            HttpExchangeClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("client 127.0.0.7 asked for /x?y=1 by bob\n");
        }
    }

    @Test
    void aRequestLineUpTo8kIsServedAsNginxsLargeClientHeaderBuffersAllow() throws Exception {
        try (HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { return 200 "long enough"; }
                    }
                }
                """.formatted(port));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /" + "a".repeat(6000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("long enough");
        }
    }

    @Test
    void malformedRequestsAre400AndTheTwoNginxAnswersOtherwise() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""))) {
            try (HttpExchangeClient c = rig.client()) {
                c.send("GET / HTTP/1.1\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(400);
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(statusOf(rig, "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
            assertThat(statusOf(rig, "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n")).isEqualTo(400);
            // A duplicate Host, even an equal one.
            assertThat(statusOf(rig, "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n")).isEqualTo(400);
            // Over nginx's 8k request line: 414, as nginx.
            assertThat(statusOf(rig, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(414);
            // A coding besides chunked would reach the upstream unannounced once the chunks are undone: 501.
            assertThat(statusOf(rig, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n")).isEqualTo(501);
            try (HttpExchangeClient c = rig.client()) {
                c.send("GET / HTTP/2.5\r\nHost: a\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(505);
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(backend.requests).isEmpty();
        }
    }

    /** The status of the answer to {@code request}, sent on a connection of its own. */
    private static int statusOf(HttpRig rig, String request) throws IOException {
        try (HttpExchangeClient c = rig.client()) {
            c.send(request);
            return c.read().status();
        }
    }

    @Test
    void aKeepalivePoolReusesOneUpstreamConnection() throws Exception {
        try (HttpBackend pooled = HttpBackend.start(); HttpBackend unpooled = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream pooled { server 127.0.0.1:%d; keepalive 4; }
                    upstream unpooled { server 127.0.0.1:%d; }
                    server {
                        listen 127.0.0.1:%d;
                        location /p/ { proxy_pass http://pooled; }
                        location /u/ { proxy_pass http://unpooled; }
                    }
                }
                """.formatted(pooled.port(), unpooled.port(), port));
             HttpExchangeClient c = rig.client()) {
            for (int i = 0; i < 5; i++) {
                c.send("GET /p/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /p/" + i);
                c.send("POST /u/" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
                assertThat(c.read().body()).isEqualTo("got 2 bytes for /u/" + i);
            }
            assertThat(pooled.connections).hasValue(1);
            assertThat(unpooled.connections).hasValue(5);
            assertThat(unpooled.requests.poll().header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void anUpstreamConnectionIsClosedAfterKeepaliveRequestsAndAnIdleOneAfterKeepaliveTimeout() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; keepalive 4; keepalive_requests 2; keepalive_timeout 300ms; }
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(backend.port(), port));
             HttpExchangeClient c = rig.client()) {
            for (int i = 0; i < 5; i++) {
                c.send("GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /" + i);
            }
            // Two requests per connection: requests 0-1, 2-3 and 4.
            assertThat(backend.connections).hasValue(3);

            Thread.sleep(600); // the third connection idles past keepalive_timeout and is closed
            c.send("GET /5 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /5");
            assertThat(backend.connections).hasValue(4);
        }
    }

    @Test
    void aBodyOverClientMaxBodySizeIs413() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    client_max_body_size 10;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()))) {
            try (HttpExchangeClient c = rig.client()) {
                c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(413);
            }
            try (HttpExchangeClient c = rig.client()) {
                c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
                // The echo backend answers at once, so the response may have started: then the cut is a close.
                try {
                    HttpExchangeClient.Response r = c.read();
                    assertThat(r.status()).isIn(200, 413);
                    assertThat(r.body()).doesNotContain("1234567812345678");
                } catch (java.io.IOException cut) {
                    assertThat(cut).hasMessageContaining("EOF");
                }
            }
            try (HttpExchangeClient c = rig.client()) {
                c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
                assertThat(c.read().body()).isEqualTo("got 10 bytes for /");
            }
        }
    }

    @Test
    void expect100ContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.send("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("data");
            assertThat(c.read().body()).isEqualTo("got 4 bytes for /up");
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).header("Expect")).isNull();
        }
    }

    @Test
    void anUpgradedConnectionRelaysRawBytesBothWays() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            HttpExchangeClient.Response switched = c.read();
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.headers().get("upgrade")).isEqualTo("websocket");
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).header("Upgrade")).isEqualTo("websocket");

            c.send("\u0001raw bytes, not HTTP\r\n\r\n");
            byte[] back = c.socket.getInputStream().readNBytes(24);
            assertThat(new String(back, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo("\u0001raw bytes, not HTTP\r\n\r\n");
        }
    }

    @Test
    void nginxsWebSocketConfigurationWithMapRunsAsWritten() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    map $http_upgrade $connection_upgrade {
                        default upgrade;
                        ''      close;
                    }
                    map $request_uri $area {
                        ~^/(?<top>[a-z]+)/   $top;
                        default              root;
                    }
                    log_format areas '$request_uri $area $connection_upgrade';
                    access_log http.log areas;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_set_header X-Area $area;
                        }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /shop/cart HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).header("X-Area")).isEqualTo("shop");
            c.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(101);
            HttpBackend.Seen upgrade = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(upgrade.header("Upgrade")).isEqualTo("websocket");
            assertThat(upgrade.header("X-Area")).isEqualTo("root");
            // The client's FIN ends the tunnel (nginx closes both sides), and with it the exchange and its log line.
            c.close();
            assertThat(rig.awaitLogLines("http.log", 2)).containsExactly("/shop/cart shop close", "/ws root upgrade");
        }
    }

    @Test
    void anAccessLogWithIfSkipsTheRequestsItsConditionRulesOut() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    map $status $loggable {
                        ~^[23]  0;
                        default 1;
                    }
                    log_format short '$request_uri $status';
                    access_log errors.log short if=$loggable;
                    access_log all.log short;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /gone { return 410; }
                        location /moved { return 301 /; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            for (String path : List.of("/ok", "/gone", "/moved", "/gone/again")) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                c.read();
            }
            c.close();
            assertThat(rig.awaitLogLines("all.log", 4)).hasSize(4);
            assertThat(rig.awaitLogLines("errors.log", 2)).containsExactly("/gone 410", "/gone/again 410");
        }
    }

    @Test
    void gzipCompressesWhatNginxWouldAndLeavesTheRest() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    gzip on;
                    gzip_vary on;
                    gzip_types text/plain;
                    log_format sizes '$request_uri $status $body_bytes_sent $sent_http_content_encoding';
                    access_log sizes.log sizes;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location = /text { return 200 "a text answer that is long enough to compress\n"; }
                        location /off/ { gzip off; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient c = rig.client()) {
            String page = "<p>hello from the app</p>\n".repeat(200).substring(0, 5000);
            for (String parts : List.of("1", "3")) {
                c.send("GET /page?n=5000&parts=" + parts + " HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip, br\r\n\r\n");
                HttpExchangeClient.Response gzipped = c.read();
                assertThat(gzipped.headers()).containsEntry("content-encoding", "gzip")
                        .containsEntry("vary", "Accept-Encoding").containsEntry("etag", "W/\"page-5000\"")
                        .containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
                assertThat(gzipped.gunzipped()).isEqualTo(page);
                assertThat(gzipped.bodyLength()).isLessThan(500);
            }
            c.send("GET /page?n=5000 HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response plain = c.read();
            assertThat(plain.headers()).containsEntry("vary", "Accept-Encoding").containsEntry("etag", "\"page-5000\"")
                    .containsEntry("content-length", "5000").doesNotContainKey("content-encoding");
            assertThat(plain.body()).isEqualTo(page);
            c.send("GET /page?n=19 HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(c.read().headers()).doesNotContainKeys("content-encoding", "vary");
            // HEAD gets the head a GET would get, as nginx sends it: compressed, of unknown length.
            c.send("HEAD /page?n=5000 HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(c.read(true).headers()).containsEntry("content-encoding", "gzip")
                    .containsEntry("vary", "Accept-Encoding").doesNotContainKey("content-length");
            c.send("GET /off/page?n=5000 HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(c.read().headers()).doesNotContainKeys("content-encoding", "vary");
            c.send("GET /text HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
            HttpExchangeClient.Response text = c.read();
            assertThat(text.headers()).containsEntry("content-encoding", "gzip")
                    .containsEntry("content-length", Long.toString(text.bodyLength()));
            assertThat(text.gunzipped()).isEqualTo("a text answer that is long enough to compress\n");
            c.close();
            List<String> log = rig.awaitLogLines("sizes.log", 7);
            assertThat(log.get(0)).matches("/page\\?n=5000&parts=1 200 \\d{2,3} gzip");
            assertThat(log.get(2)).isEqualTo("/page?n=5000 200 5000 -");
        }
    }

    @Test
    void setAssignsVariablesForHeadersAndTheLogAsTheRequestReachesItsServerAndLocation() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    log_format tiers '$request_uri $tier $area';
                    access_log tiers.log tiers;
                    server {
                        listen 127.0.0.1:%d;
                        set $tier bronze;
                        location / {
                            set $tier "$tier+$http_x_plan";
                            set $area "root:$tier";
                            proxy_set_header X-Tier $tier;
                            proxy_set_header X-Area $area;
                            proxy_pass http://127.0.0.1:%d;
                        }
                        location /plain { proxy_set_header X-Tier $tier; proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /x HTTP/1.1\r\nHost: a\r\nX-Plan: gold\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("X-Tier")).isEqualTo("bronze+gold");
            assertThat(seen.header("X-Area")).isEqualTo("root:bronze+gold");
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).header("X-Tier")).isEqualTo("bronze");
            c.close();
            assertThat(rig.awaitLogLines("tiers.log", 2)).containsExactly("/x bronze+gold root:bronze+gold",
                    "/plain bronze -");
        }
    }

    @Test
    void addHeaderAddsToProxiedResponsesAndReplacesETag() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    add_header Strict-Transport-Security "max-age=31536000" always;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            add_header X-Served-By "$server_name:$status";
                            add_header ETag "\\"mine\\"";
                            proxy_pass http://127.0.0.1:%d;
                        }
                        location /inherits { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /page?n=100 HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response page = c.read();
            assertThat(page.headers()).containsEntry("x-served-by", ":200").containsEntry("etag", "\"mine\"")
                    .doesNotContainKey("strict-transport-security");
            c.send("GET /inherits HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().headers()).containsEntry("strict-transport-security", "max-age=31536000")
                    .doesNotContainKey("x-served-by");
        }
    }

    @Test
    void upstreamFieldsNginxKeepsFromClientsAreHiddenAndProxylinesServerAndDateSent() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /tuned/ {
                            proxy_hide_header X-Powered-By;
                            proxy_pass_header Server;
                            proxy_pass http://127.0.0.1:%d/;
                        }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /fields HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response plain = c.read();
            assertThat(plain.headers()).containsEntry("server", "proxyline").containsEntry("x-powered-by", "php")
                    .containsEntry("x-app", "kept").doesNotContainKeys("x-pad", "x-accel-redirect");
            assertThat(plain.headers().get("date")).endsWith(" GMT").doesNotContain("2001");
            c.send("GET /tuned/fields HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response tuned = c.read();
            assertThat(tuned.headers()).containsEntry("server", "app/1.0").containsEntry("x-app", "kept")
                    .doesNotContainKeys("x-powered-by", "x-pad", "x-accel-redirect");
            c.send("GET /nowhere HTTP/1.1\r\nHost: \r\n\r\n");
            assertThat(c.read().headers()).containsEntry("server", "proxyline").containsKey("date");
        }
    }

    @Test
    void setArgsChangesTheArgumentsTheUpstreamGets() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            set $args "tenant=7&$args";
                            proxy_pass http://127.0.0.1:%d;
                        }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /a%20b/c?page=2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/a%20b/c?tenant=7&page=2");
        }
    }

    @Test
    void limitConnCapsRequestsInProgressPerKeyAndCountsThemUntilTheyEnd() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    log_format limits '$request_uri $status';
                    access_log limits.log limits;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            limit_conn addr 1;
                            limit_conn_status 429;
                            proxy_read_timeout 1s;
                            proxy_pass http://127.0.0.1:%d;
                        }
                        location /free { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port(), backend.port()));
             HttpExchangeClient held = rig.client()) {
            held.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"); // the backend never answers it
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/slow");
            try (HttpExchangeClient second = rig.client()) {
                second.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(second.read().status()).isEqualTo(429);
            }
            try (HttpExchangeClient other = rig.client()) {
                other.send("GET /free/x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(other.read().status()).as("a location without limit_conn").isEqualTo(200);
            }
            // The held request ends (the backend never answers: 504 after proxy_read_timeout), and with it its count.
            assertThat(held.read().status()).isEqualTo(504);
            try (HttpExchangeClient third = rig.client()) {
                third.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(third.read().status()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aLocationSendsTheClientUpstreamInAProxyHeader(int version) throws Exception {
        try (HttpBackend backend = HttpBackend.readingProxyHeader();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; keepalive 2; }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_protocol on;
                            proxy_protocol_version %d;
                            proxy_pass http://app;
                        }
                    }
                }
                """.formatted(backend.port(), port, version));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);

            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.from().getAddress().getHostAddress()).isEqualTo("127.0.0.7");
            assertThat(backend.connections).hasValue(1);
        }
    }

    @Test
    void eachRequestGetsAnAccessLogLineWithTheRealClientAndTheHeadersAsReceived() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    log_format brief '$remote_addr "$request" $status $upstream_addr $upstream_status $http_connection '
                                     '$http_x_forwarded_for';
                    access_log http.log brief;
                    server {
                        listen 127.0.0.1:%d;
                        proxy_set_header X-Seen $host|$request_id|$http_x_one;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /gone { return 410; }
                    }
                }
                """.formatted(port, backend.port()));
             HttpExchangeClient c = rig.client()) {
            // The variables read the request as the client sent it, not as the upstream gets it: without
            // the field its Connection names and without the forwarding headers the proxy adds.
            c.send("GET /?q HTTP/1.1\r\nHost: A.example:8080\r\nConnection: keep-alive, X-One\r\nX-One: 1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
            assertThat(seen.header("X-Seen")).isEqualTo("a.example|" + seen.header("X-Request-ID") + "|1");
            assertThat(seen.header("X-One")).isNull();
            assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.7");
            c.send("GET /gone HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(410);
            c.close();
            assertThat(rig.awaitLogLines("http.log", 2)).containsExactly(
                    "127.0.0.7 \"GET /?q HTTP/1.1\" 200 127.0.0.1:" + backend.port() + " 200 keep-alive, X-One -",
                    "127.0.0.7 \"GET /gone HTTP/1.1\" 410 - - - -");
        }
    }

    @Test
    void keepaliveRequestsAndClientHeaderTimeoutEndTheConnection() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    keepalive_requests 2;
                    client_header_timeout 200ms;
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(port, backend.port()))) {
            try (HttpExchangeClient c = rig.client()) {
                c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().headers()).doesNotContainKey("connection");
                c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().headers()).containsEntry("connection", "close");
                assertThat(c.closedByServer()).isTrue();
            }
            try (HttpExchangeClient c = rig.client()) {
                c.send("GET / HTTP/1.1\r\n"); // and nothing more
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aPooledConnectionClosedAsItIsReusedIsReplacedWithoutTheClientNoticing() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), "keepalive 2;"));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /flaky HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.send("GET /flaky HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.connections).hasValue(2);
        }
    }

    @Test
    void aRefusedServerIsSkippedForTheNextOneOfTheGroup() throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            int closed = Backend.closedPort();
            try (HttpRig rig = HttpRig.start(dir, port -> """
                    http {
                        log_format up '$upstream_addr $upstream_status';
                        access_log up.log up;
                        upstream app { server 127.0.0.1:%d; server 127.0.0.1:%d; }
                        server {
                            listen 127.0.0.1:%d;
                            location / { proxy_pass http://app; }
                        }
                    }
                    """.formatted(closed, backend.port(), port));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /first");
                String line = Rig.awaitLog(dir.resolve("up.log"));
                assertThat(line).isEqualTo("127.0.0.1:" + closed + ", 127.0.0.1:" + backend.port() + " 502, 200\n");
            }
        }
    }

    @Test
    void stoppingClosesIdleKeepAliveConnectionsInsteadOfWaitingForThem() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);

            assertThat(rig.server().stop(java.time.Duration.ofSeconds(20))).as("connections cut at the deadline")
                    .isZero();
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
