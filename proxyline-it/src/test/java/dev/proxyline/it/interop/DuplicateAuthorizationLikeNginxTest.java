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
 * A request head with the Authorization field twice, in nginx and in proxyline: refused with 400 while the head is
 * read, in a location that asks for no credentials too, and its connection closed; the error_page is that of the
 * server a Host field before the second Authorization chose, else the default server's. Compared: the status, the
 * body of an error page, whether the connection was closed, and the error-log lines (their kind and request).
 */
@Timeout(60)
class DuplicateAuthorizationLikeNginxTest {
    private static final String SERVER = """
                server {
                    listen %1$s default_server;
                    error_page 400 /e400;
                    location = /e400 { return 200 "default page\\n"; }
                    location / { return 200 "served\\n"; }
                }
                server {
                    listen %1$s;
                    server_name b;
                    error_page 400 /e400;
                    location = /e400 { return 200 "b page\\n"; }
                    location / { return 200 "served b\\n"; }
                }
            """;
    private static final Pattern DUPLICATE = Pattern.compile("client sent duplicate header line: \"Authorization.*"
            + "request: \"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    @TempDir
    Path directory;

    @Test
    void aSecondAuthorizationIsRefusedWhileTheHeadIsReadInEveryLocation() throws Exception {
        List<String> requests = List.of(
                "GET /one HTTP/1.1\r\nHost: a\r\nAuthorization: Basic eDp5\r\nConnection: close\r\n\r\n",
                "GET /two HTTP/1.1\r\nHost: a\r\nAuthorization: Basic eDp5\r\nauthorization: Bearer z\r\n\r\n",
                "GET /b-host-first HTTP/1.1\r\nHost: b\r\nAuthorization: x\r\nAuthorization: y\r\n\r\n",
                "GET /b-host-last HTTP/1.1\r\nAuthorization: x\r\nAUTHORIZATION: y\r\nHost: b\r\n\r\n",
                "GET /b-host-between HTTP/1.1\r\nAuthorization: x\r\nHost: b\r\nAuthorization: y\r\n\r\n");
        SideBySide.Answers answers;
        List<String> proxylineLog;
        try (LogCapture log = LogCapture.of("dev.proxyline.server.app.http")) {
            answers = SideBySide.ask(directory, listen -> SERVER.formatted(Loopback.hostPort(listen)), requests);
            log.awaitLine(l -> l.contains("/b-host-between"), Duration.ofSeconds(5));
            proxylineLog = log.lines();
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                DuplicateAuthorizationLikeNginxTest::summary);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /one HTTP/1.1 -> 200 served closed",
                "GET /two HTTP/1.1 -> 400 default page closed",
                "GET /b-host-first HTTP/1.1 -> 400 b page closed",
                "GET /b-host-last HTTP/1.1 -> 400 default page closed",
                "GET /b-host-between HTTP/1.1 -> 400 b page closed");

        List<String> fromNginx = refusals(Files.readAllLines(directory.resolve("nginx").resolve("error.log")));
        assertThat(fromNginx).containsExactly("GET /two HTTP/1.1", "GET /b-host-first HTTP/1.1",
                "GET /b-host-last HTTP/1.1", "GET /b-host-between HTTP/1.1");
        assertThat(refusals(proxylineLog)).containsExactlyElementsOf(fromNginx);
    }

    /** The status, the body of an answer whose body names itself, and whether the connection was kept open. */
    private static String summary(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String status = text.lines().findFirst().orElseThrow().split(" ")[1];
        String body = text.substring(text.indexOf("\r\n\r\n") + 4).strip();
        boolean closed = text.substring(0, text.indexOf("\r\n\r\n")).lines()
                .anyMatch(l -> l.equalsIgnoreCase("connection: close"));
        return status + (body.contains("page") || body.startsWith("served") ? " " + body : "")
                + (closed ? " closed" : " kept");
    }

    private static List<String> refusals(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = DUPLICATE.matcher(line);
            if (m.find()) found.add(m.group(1));
        }
        return found;
    }
}
