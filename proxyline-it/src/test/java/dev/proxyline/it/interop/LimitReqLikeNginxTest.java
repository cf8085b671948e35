package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same limit_req and limit_conn directives, word for word, in nginx and in proxyline, and the same series of
 * requests from one client: status by status, with $limit_req_status and $limit_conn_status as add_header shows
 * them, and a location whose {@code return} comes before either module runs. The rate is one a minute, so the
 * excess the series builds up does not drain while it runs.
 */
@Timeout(60)
class LimitReqLikeNginxTest {
    private static final String HTTP = """
                limit_req_zone $binary_remote_addr zone=burst:1m rate=1r/m;
                limit_req_zone $binary_remote_addr zone=strict:1m rate=1r/m;
                limit_req_zone $binary_remote_addr zone=dry:1m rate=1r/m;
                limit_req_zone $binary_remote_addr zone=both:1m rate=1r/m;
                limit_req_zone $http_x_key zone=keyed:1m rate=1r/m;
                limit_conn_zone $binary_remote_addr zone=addr:1m;
                add_header X-Req $limit_req_status always;
                add_header X-Conn $limit_conn_status always;
                server {
                    listen %s;
                    location /burst/ { limit_req zone=burst burst=2 nodelay; proxy_pass http://%s; }
                    location /strict/ { limit_req zone=strict; limit_req_status 429; proxy_pass http://%s; }
                    location /dry/ { limit_req zone=dry; limit_req_dry_run on; proxy_pass http://%s; }
                    location /both/ {
                        limit_req zone=keyed burst=5 nodelay;
                        limit_req zone=both burst=1 nodelay;
                        limit_conn addr 10;
                        proxy_pass http://%s;
                    }
                    location /returned { limit_req zone=strict; limit_conn addr 1; return 200 "[$limit_req_status] [$limit_conn_status]\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void aSeriesOfRequestsIsPassedAndRefusedAsNginxDoesIt() throws Exception {
        List<String> requests = List.of(
                get("/burst/1", ""), get("/burst/2", ""), get("/burst/3", ""), get("/burst/4", ""),
                get("/strict/1", ""), get("/strict/2", ""),
                get("/dry/1", ""), get("/dry/2", ""),
                // No X-Key: only the second limit applies; then the first passes, the second refuses.
                get("/both/1", ""), get("/both/2", "X-Key: k\r\n"), get("/both/3", "X-Key: k\r\n"),
                get("/returned", ""), get("/returned", ""));
        SideBySide.Answers answers;
        try (HttpBackend backend = HttpBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen), upstream, upstream,
                    upstream, upstream), requests);
        }
        List<String> fromNginx = new ArrayList<>();
        List<String> fromProxyline = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String line = requests.get(i).lines().findFirst().orElseThrow() + " -> ";
            boolean body = line.startsWith("GET /returned");
            fromNginx.add(line + summary(answers.nginx().get(i), body));
            fromProxyline.add(line + summary(answers.proxyline().get(i), body));
        }
        assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        assertThat(fromNginx).containsExactly(
                "GET /burst/1 HTTP/1.1 -> 200 [x-req: PASSED]",
                "GET /burst/2 HTTP/1.1 -> 200 [x-req: PASSED]",
                "GET /burst/3 HTTP/1.1 -> 200 [x-req: PASSED]",
                "GET /burst/4 HTTP/1.1 -> 503 [x-req: REJECTED]",
                "GET /strict/1 HTTP/1.1 -> 200 [x-req: PASSED]",
                "GET /strict/2 HTTP/1.1 -> 429 [x-req: REJECTED]",
                "GET /dry/1 HTTP/1.1 -> 200 [x-req: PASSED]",
                "GET /dry/2 HTTP/1.1 -> 200 [x-req: REJECTED_DRY_RUN]",
                "GET /both/1 HTTP/1.1 -> 200 [x-req: PASSED, x-conn: PASSED]",
                "GET /both/2 HTTP/1.1 -> 200 [x-req: PASSED, x-conn: PASSED]",
                "GET /both/3 HTTP/1.1 -> 503 [x-req: REJECTED]",
                "GET /returned HTTP/1.1 -> 200 [] [] ",
                "GET /returned HTTP/1.1 -> 200 [] [] ");
    }

    private static String get(String path, String fields) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n" + fields + "Connection: close\r\n\r\n";
    }

    /** The status and the X- fields (names in lower case), or the status and the body. */
    private static String summary(byte[] answer, boolean body) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end);
        String status = head.lines().findFirst().orElseThrow().split(" ")[1];
        if (body) return status + " " + text.substring(end + 4).replace("\n", " ");
        List<String> fields = head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-"))
                .map(l -> l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT) + ":" + l.substring(l.indexOf(':') + 1))
                .toList();
        return status + " " + fields;
    }
}
