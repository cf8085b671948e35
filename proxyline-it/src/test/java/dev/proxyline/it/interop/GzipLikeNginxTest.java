package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same gzip settings and server, word for word, in nginx and in proxyline: for each request, both must agree
 * on whether the response is compressed, on Vary, and on the body once decompressed. The requests cover what
 * decides it: Accept-Encoding (with q=0), HTTP/1.0, HEAD, a request that came through a proxy (Via), a disabled
 * User-Agent, the status, the type, the length, and a proxied response next to nginx's own answers.
 */
@Timeout(60)
class GzipLikeNginxTest {
    private static final String SERVER = """
                gzip on;
                gzip_vary on;
                gzip_types text/plain;
                gzip_disable msie6;
                server {
                    listen %s;
                    location = /text { return 200 "an answer long enough to be worth compressing, as nginx sees it\\n"; }
                    location = /tiny { return 200 "short\\n"; }
                    location = /gone { return 404 "not here, and this text is long enough to be compressed too\\n"; }
                    location = /fail { return 500 "failed, and this text is long enough to be compressed too\\n"; }
                    location /app/ { proxy_pass http://%s; }
                    location /proxied/ { gzip_proxied any; proxy_pass http://%s; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyResponseIsCompressedOrNotAsNginxDoesIt() throws Exception {
        String app = "/app/a/path/long/enough/for/the/answer/to/pass/the/minimum/length";
        List<String> requests = List.of(
                get("/text", "Accept-Encoding: gzip, deflate, br\r\n"),
                get("/text", ""),
                get("/text", "Accept-Encoding: gzip;q=0\r\n"),
                "GET /text HTTP/1.0\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n",
                "HEAD /text HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
                get("/text", "Accept-Encoding: gzip\r\nVia: 1.1 cache\r\n"),
                get("/text", "Accept-Encoding: gzip\r\nUser-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)\r\n"),
                get("/tiny", "Accept-Encoding: gzip\r\n"),
                get("/gone", "Accept-Encoding: gzip\r\n"),
                get("/fail", "Accept-Encoding: gzip\r\n"),
                get(app, "Accept-Encoding: gzip\r\n"),
                get(app, "Accept-Encoding: gzip\r\nVia: 1.1 cache\r\n"),
                get("/proxied/through/a/cache/with/a/path/long/enough", "Accept-Encoding: gzip\r\nVia: 1.1 cache\r\n"));
        SideBySide.Answers answers;
        try (HttpBackend backend = HttpBackend.start()) {
            String upstream = Loopback.hostPort(backend.address());
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen), upstream, upstream),
                    requests);
        }
        SideBySide.Summaries seen = answers.summarize(requests, request -> request.lines().findFirst().orElseThrow()
                + " " + request.lines().skip(2).filter(l -> !l.isEmpty() && !l.startsWith("Connection")).toList()
                + " -> ", GzipLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // The comparison must not pass by both doing nothing: nginx compressed these.
        assertThat(seen.nginx().get(0)).contains("gzip vary=Accept-Encoding an answer long enough");
        assertThat(seen.nginx().get(10)).contains("gzip vary=Accept-Encoding ok /app/");
        assertThat(seen.nginx().get(12)).contains("gzip vary=Accept-Encoding ok /proxied/");
    }

    private static String get(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n" + headers + "Connection: close\r\n\r\n";
    }

    /** Status, whether gzipped, Vary, and the body as the client reads it once decompressed. */
    private static String summary(byte[] answer) {
        int end = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = new String(answer, 0, end, StandardCharsets.ISO_8859_1);
        byte[] body = Arrays.copyOfRange(answer, end + 4, answer.length);
        String status = head.lines().findFirst().orElseThrow().split(" ")[1];
        String encoding = header(head, "content-encoding");
        if ("chunked".equalsIgnoreCase(header(head, "transfer-encoding"))) {
            body = dechunk(body);
        }
        if ("gzip".equals(encoding) && body.length > 0) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            } catch (IOException e) {
                return status + " " + encoding + " (not gzip: " + e.getMessage() + ")";
            }
        }
        return status + " " + (encoding == null ? "identity" : encoding) + " vary=" + header(head, "vary") + " "
                + new String(body, StandardCharsets.UTF_8).strip();
    }

    private static String header(String head, String name) {
        return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse(null);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOf(Arrays.copyOfRange(chunked, i, chunked.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            int size = Integer.parseInt(new String(chunked, i, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, i + lineEnd + 2, size);
            i += lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("no " + new String(pattern, StandardCharsets.US_ASCII).replace("\r\n", "CRLF"));
    }
}
