package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request heads at the edges of nginx's default {@code large_client_header_buffers 4 8k}, in nginx and in proxyline:
 * a request line and a field line of 8192 bytes with their CRLF (served) and one more (414, and 494 sent as 400
 * "Request Header Or Cookie Too Large"), many lines that fit four buffers and more that do not, and the
 * {@code error_page 494} of the server a Host field before the long line chose, else the default server's. Compared:
 * the status, the title of nginx's own page (or the body of an error page), and the error-log lines naming the line
 * that did not fit.
 */
@Timeout(60)
class HeaderBuffersLikeNginxTest {
    private static final String SERVER = """
                server {
                    listen %1$s default_server;
                    error_page 494 /e494;
                    location = /e494 { return 200 "default page\\n"; }
                    location / { return 200 "served\\n"; }
                }
                server {
                    listen %1$s;
                    server_name b;
                    error_page 494 /e494;
                    location = /e494 { return 200 "b page\\n"; }
                    location / { return 200 "served b\\n"; }
                }
                server {
                    listen %1$s;
                    server_name plain;
                    location / { return 200 "served plain\\n"; }
                }
            """;
    private static final Pattern LONG_LINE = Pattern.compile("client sent too long header line: \"([^:]*):.*"
            + "request: \"([^\"]*)\"");

    @TempDir
    Path directory;

    @Test
    void linesAreMeasuredOneByOneAgainstEightKibibytesAsNginxMeasuresThem() throws Exception {
        List<String> requests = List.of(
                requestLine(8192), requestLine(8193),
                withLine("plain", 8192, true), withLine("plain", 8193, true),
                withLine("b", 8193, true), withLine("b", 8193, false),
                withLines("plain", 4, 7000), withLines("plain", 5, 7000),
                withLines("plain", 8, 4000), withLines("plain", 9, 4000));
        SideBySide.Answers answers;
        List<String> proxylineLog;
        try (LogCapture log = LogCapture.of("dev.proxyline.server.app.http")) {
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen)), requests);
            log.awaitLine(l -> l.contains("\"X-8: "), Duration.ofSeconds(5));
            proxylineLog = log.lines();
        }
        SideBySide.Summaries seen = answers.summarize(requests, HeaderBuffersLikeNginxTest::label,
                HeaderBuffersLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "request line of 8192 -> 200 served",
                "request line of 8193 -> 414",
                "/after-host-plain with a line of 8192 -> 200 served plain",
                "/after-host-plain with a line of 8193 -> 400 Request Header Or Cookie Too Large",
                "/after-host-b with a line of 8193 -> 400 b page",
                "/before-host-b with a line of 8193 -> 400 default page",
                "/lines with 4 of 7000 -> 200 served plain",
                "/lines with 5 of 7000 -> 400 Request Header Or Cookie Too Large",
                "/lines with 8 of 4000 -> 200 served plain",
                "/lines with 9 of 4000 -> 400 Request Header Or Cookie Too Large");

        List<String> fromNginx = longLines(Files.readAllLines(directory.resolve("nginx").resolve("error.log")));
        assertThat(fromNginx).as("the line that did not fit is named").containsExactly(
                "X-Long GET /after-host-plain HTTP/1.1", "X-Long GET /after-host-b HTTP/1.1",
                "X-Long GET /before-host-b HTTP/1.1", "X-4 GET /lines HTTP/1.1", "X-8 GET /lines HTTP/1.1");
        assertThat(longLines(proxylineLog)).containsExactlyElementsOf(fromNginx);
    }

    private static final String CONFIGURED = """
                client_header_buffer_size 2k;
                large_client_header_buffers 2 1k;
                server {
                    listen %1$s default_server;
                    error_page 494 /e494;
                    location = /e494 { return 200 "default page\\n"; }
                    location / { return 200 "served\\n"; }
                }
                server {
                    listen %1$s;
                    server_name b;
                    large_client_header_buffers 4 4k;
                    location / { return 200 "served b\\n"; }
                }
                server {
                    listen %1$s;
                    server_name plain;
                    location / { return 200 "served plain\\n"; }
                }
            """;

    @Test
    void configuredBuffersAreTheDefaultServersForTheRequestLineAndTheHostsServersAfterIt() throws Exception {
        List<String> requests = List.of(
                requestLine(2048), requestLine(2049),
                withLine("plain", 1025, true), withLine("plain", 2100, true),
                withLine("b", 3000, true), withLine("b", 3000, false),
                withLines("plain", 3, 1000), withLines("plain", 4, 1000));
        SideBySide.Answers answers = SideBySide.ask(directory,
                listen -> CONFIGURED.formatted(Loopback.hostPort(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, HeaderBuffersLikeNginxTest::label,
                HeaderBuffersLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "request line of 2048 -> 200 served",
                "request line of 2049 -> 414",
                "/after-host-plain with a line of 1025 -> 200 served plain", // in what is left of the first buffer
                "/after-host-plain with a line of 2100 -> 400 Request Header Or Cookie Too Large",
                "/after-host-b with a line of 3000 -> 200 served b",
                "/before-host-b with a line of 3000 -> 400 default page",
                "/lines with 3 of 1000 -> 200 served plain",
                "/lines with 4 of 1000 -> 400 Request Header Or Cookie Too Large");
    }

    /** A request line of {@code length} bytes with its CRLF. */
    private static String requestLine(int length) {
        String frame = "GET /x HTTP/1.1\r\n";
        return "GET /x" + "a".repeat(length - frame.length()) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    /** A field line of {@code length} bytes with its CRLF, after or before the Host field naming {@code host}. */
    private static String withLine(String host, int length, boolean afterHost) {
        String line = "X-Long: " + "a".repeat(length - "X-Long: \r\n".length()) + "\r\n";
        String hostLine = "Host: " + host + "\r\n";
        return "GET /" + (afterHost ? "after" : "before") + "-host-" + host + " HTTP/1.1\r\n"
                + (afterHost ? hostLine + line : line + hostLine) + "Connection: close\r\n\r\n";
    }

    /** {@code count} field lines of {@code size} bytes of value each. */
    private static String withLines(String host, int count, int size) {
        StringBuilder r = new StringBuilder("GET /lines HTTP/1.1\r\nHost: " + host + "\r\n");
        for (int i = 0; i < count; i++) r.append("X-").append(i).append(": ").append("a".repeat(size)).append("\r\n");
        return r.append("Connection: close\r\n\r\n").toString();
    }

    private static String label(String request) {
        String first = request.lines().findFirst().orElseThrow();
        if (first.length() > 100) return "request line of " + (first.length() + 2) + " -> ";
        String path = first.split(" ")[1];
        List<String> fields = request.lines().filter(l -> l.startsWith("X-")).toList();
        if (path.equals("/lines")) {
            return path + " with " + fields.size() + " of " + (fields.get(0).length() - "X-0: ".length()) + " -> ";
        }
        return path + " with a line of " + (fields.get(0).length() + 2) + " -> ";
    }

    /** The status, and the body of an error page or a 200, or the title of nginx's own page of a refused head. */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.lines().findFirst().orElseThrow().split(" ")[1];
        String body = text.substring(text.indexOf("\r\n\r\n") + 4).strip();
        if (body.contains("page") || body.startsWith("served")) return status + " " + body;
        return body.contains("Request Header Or Cookie Too Large") ? status + " Request Header Or Cookie Too Large"
                : status;
    }

    private static List<String> longLines(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LONG_LINE.matcher(line);
            if (m.find()) found.add(m.group(1) + " " + m.group(2));
        }
        return found;
    }
}
