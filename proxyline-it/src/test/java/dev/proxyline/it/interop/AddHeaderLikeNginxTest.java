package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code add_header} directives, word for word, in nginx and in proxyline: inherited only by a level
 * without its own, added for the statuses nginx adds them to (or always), with variables, and not at all when the
 * value is empty.
 */
@Timeout(60)
class AddHeaderLikeNginxTest {
    private static final String HTTP = """
                server {
                    listen %s;
                    add_header X-Server-Level s;
                    location / { return 200 "ok\\n"; }
                    location /loc { add_header X-Loc "$request_method $uri"; add_header X-Always yes always; return 200 "ok\\n"; }
                    location /missing { add_header X-Loc l; add_header X-Always yes always; return 404 "nope\\n"; }
                    location /redirect { add_header X-Loc l; return 302 /elsewhere; }
                    location /empty { add_header X-Empty ""; add_header X-Var "$http_x_absent"; add_header X-Set s; return 200 "ok\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyResponseGetsNginxsFields() throws Exception {
        List<String> requests = List.of(request("/"), request("/loc/a"), request("/missing"), request("/redirect"),
                request("/empty"));
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen)),
                requests);
        SideBySide.Summaries seen = answers.summarize(requests, request -> "", AddHeaderLikeNginxTest::fields);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "200 [x-server-level: s]",
                "200 [x-loc: GET /loc/a, x-always: yes]",
                "404 [x-always: yes]",
                "302 [x-loc: l]",
                "200 [x-set: s]");
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    /** The status and the X- fields, names in lower case, in order. */
    private static String fields(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        List<String> fields = head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-"))
                .map(l -> l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT) + ":" + l.substring(l.indexOf(':') + 1))
                .toList();
        return head.lines().findFirst().orElseThrow().split(" ")[1] + " " + fields;
    }
}
