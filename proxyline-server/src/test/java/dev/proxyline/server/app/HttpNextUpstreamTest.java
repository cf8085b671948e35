package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_next_upstream} of the ingress, end to end on loopback: which failures pass a request to
 * the next server, which are answered, and what {@code $upstream_addr} / {@code $upstream_status} log.
 * Each location has its own upstream block so that every group's round robin starts at its first server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpNextUpstreamTest {
    @TempDir
    Path dir;

    /** An http block logging each request's upstreams; {@code body} holds upstream blocks and the server. */
    private static String http(String body) {
        return """
                http {
                    log_format up '$request_method $uri $status $upstream_addr $upstream_status';
                    access_log up.log up;
                %s
                }
                """.formatted(body);
    }

    @Test
    void aListedStatusPassesTheRequestOnAndAnUnlistedOrLastOneIsTheAnswer() throws Exception {
        try (StatusBackend failing = StatusBackend.answering(503); HttpBackend good = HttpBackend.start()) {
            String a = "127.0.0.1:" + failing.port();
            String b = "127.0.0.1:" + good.port();
            try (HttpRig rig = HttpRig.start(dir, port -> http("""
                    upstream listed { server %1$s; server %2$s; }
                    upstream unlisted { server %1$s; server %2$s; }
                    upstream once { server %1$s; server %2$s; }
                    server {
                        listen 127.0.0.1:%3$d;
                        location /listed { proxy_next_upstream error timeout http_503; proxy_pass http://listed; }
                        location /unlisted { proxy_pass http://unlisted; }
                        location /once {
                            proxy_next_upstream http_503;
                            proxy_next_upstream_tries 1;
                            proxy_pass http://once;
                        }
                    }
                    """.formatted(a, b, port)));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET /listed HTTP/1.1\r\nHost: a\r\n\r\n");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("got 0 bytes for /listed");

                c.send("GET /unlisted HTTP/1.1\r\nHost: a\r\n\r\n");
                r = c.read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("status 503");

                c.send("GET /once HTTP/1.1\r\nHost: a\r\n\r\n");
                r = c.read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.body()).isEqualTo("status 503");

                assertThat(rig.awaitLogLines("up.log", 3)).containsExactly(
                        "GET /listed 200 " + a + ", " + b + " 503, 200",
                        "GET /unlisted 503 " + a + " 503",
                        "GET /once 503 " + a + " 503");
                assertThat(good.requests).extracting(HttpBackend.Seen::uri).containsExactly("/listed");
            }
        }
    }

    @Test
    void aSentPostIsRepeatedOnlyWithNonIdempotentAndAStreamedBodyNever() throws Exception {
        try (StatusBackend failing = StatusBackend.answering(502); HttpBackend good = HttpBackend.start()) {
            String a = "127.0.0.1:" + failing.port();
            String b = "127.0.0.1:" + good.port();
            try (HttpRig rig = HttpRig.start(dir, port -> http("""
                    upstream idempotent { server %1$s; server %2$s; }
                    upstream any { server %1$s; server %2$s; }
                    upstream body { server %1$s; server %2$s; }
                    server {
                        listen 127.0.0.1:%3$d;
                        proxy_next_upstream error http_502;
                        location /idempotent { proxy_pass http://idempotent; }
                        location /any { proxy_next_upstream error http_502 non_idempotent; proxy_pass http://any; }
                        location /body { proxy_next_upstream error http_502 non_idempotent; proxy_pass http://body; }
                    }
                    """.formatted(a, b, port)));
                 HttpExchangeClient c = rig.client()) {
                c.send("POST /idempotent HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(502);
                c.send("POST /any HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /any");
                c.send("POST /body HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.body()).isEqualTo("status 502");

                assertThat(rig.awaitLogLines("up.log", 3)).containsExactly(
                        "POST /idempotent 502 " + a + " 502",
                        "POST /any 200 " + a + ", " + b + " 502, 200",
                        "POST /body 502 " + a + " 502");
                assertThat(failing.requestLines).containsExactly(
                        "POST /idempotent HTTP/1.1", "POST /any HTTP/1.1", "POST /body HTTP/1.1");
                assertThat(good.requests).extracting(HttpBackend.Seen::uri).containsExactly("/any");
            }
        }
    }

    @Test
    void aReadTimeoutTriesTheNextServerUnlessTheConditionsAreOff() throws Exception {
        try (StatusBackend silent = StatusBackend.silent(); HttpBackend good = HttpBackend.start()) {
            String a = "127.0.0.1:" + silent.port();
            String b = "127.0.0.1:" + good.port();
            try (HttpRig rig = HttpRig.start(dir, port -> http("""
                    upstream retried { server %1$s; server %2$s; }
                    upstream off { server %1$s; server %2$s; }
                    upstream late { server %1$s; server %2$s; }
                    server {
                        listen 127.0.0.1:%3$d;
                        proxy_read_timeout 300ms;
                        location /retried { proxy_pass http://retried; }
                        location /off { proxy_next_upstream off; proxy_pass http://off; }
                        location /late { proxy_next_upstream_timeout 200ms; proxy_pass http://late; }
                    }
                    """.formatted(a, b, port)));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET /retried HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /retried");
                c.send("GET /off HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(504);
                c.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n"); // the first attempt outlasts the timeout
                assertThat(c.read().status()).isEqualTo(504);

                assertThat(rig.awaitLogLines("up.log", 3)).containsExactly(
                        "GET /retried 200 " + a + ", " + b + " 504, 200",
                        "GET /off 504 " + a + " 504",
                        "GET /late 504 " + a + " 504");
                assertThat(good.requests).extracting(HttpBackend.Seen::uri).containsExactly("/retried");
            }
        }
    }

    @Test
    void anInvalidResponseHeaderIsPassedOnOnlyWhenInvalidHeaderIsListed() throws Exception {
        try (StatusBackend garbage = StatusBackend.garbage(); HttpBackend good = HttpBackend.start()) {
            String a = "127.0.0.1:" + garbage.port();
            String b = "127.0.0.1:" + good.port();
            try (HttpRig rig = HttpRig.start(dir, port -> http("""
                    upstream plain { server %1$s; server %2$s; }
                    upstream listed { server %1$s; server %2$s; }
                    server {
                        listen 127.0.0.1:%3$d;
                        location /plain { proxy_pass http://plain; }
                        location /listed { proxy_next_upstream invalid_header; proxy_pass http://listed; }
                    }
                    """.formatted(a, b, port)));
                 HttpExchangeClient c = rig.client()) {
                c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(502);
                c.send("GET /listed HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /listed");

                assertThat(rig.awaitLogLines("up.log", 2)).containsExactly(
                        "GET /plain 502 " + a + " 502",
                        "GET /listed 200 " + a + ", " + b + " 502, 200");
            }
        }
    }

    @Test
    void listedServerErrorsCountTowardMaxFailsAnd404sNever() throws Exception {
        try (StatusBackend broken = StatusBackend.answering(500); StatusBackend missing = StatusBackend.answering(404);
             HttpBackend good = HttpBackend.start()) {
            try (HttpRig rig = HttpRig.start(dir, port -> http("""
                    upstream broken { server 127.0.0.1:%1$d max_fails=1 fail_timeout=30s; server 127.0.0.1:%3$d; }
                    upstream missing { server 127.0.0.1:%2$d max_fails=1 fail_timeout=30s; server 127.0.0.1:%3$d; }
                    server {
                        listen 127.0.0.1:%4$d;
                        location /broken { proxy_next_upstream error http_500; proxy_pass http://broken; }
                        location /missing { proxy_next_upstream error http_404; proxy_pass http://missing; }
                    }
                    """.formatted(broken.port(), missing.port(), good.port(), port)));
                 HttpExchangeClient c = rig.client()) {
                for (int i = 0; i < 4; i++) {
                    c.send("GET /broken HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.read().status()).isEqualTo(200);
                    c.send("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(c.read().status()).isEqualTo(200);
                }
                assertThat(broken.requests).hasValue(1); // down for fail_timeout after its first 500
                assertThat(missing.requests.get()).isGreaterThanOrEqualTo(2); // a 404 is an answer, not a fault
            }
        }
    }
}
