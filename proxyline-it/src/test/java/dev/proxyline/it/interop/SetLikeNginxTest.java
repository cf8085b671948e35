package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code set} directives, word for word, in nginx and in proxyline: server-level ones run for every
 * request, a location's after them, a nested location not its parent's, each value sees the ones set before it,
 * a map can read a set variable, and a variable no {@code set} of the request assigned is empty.
 */
@Timeout(60)
class SetLikeNginxTest {
    private static final String HTTP = """
                map $tier $tier_class {
                    ~^gold   premium;
                    default  standard;
                }
                server {
                    listen %s;
                    set $tier bronze;
                    set $who "$remote_addr via $tier";
                    location / {
                        return 200 "$tier|$who|$tier_class|$area\\n";
                    }
                    location /api/ {
                        set $tier gold;
                        set $area "api:$tier:$uri";
                        return 200 "$tier|$who|$tier_class|$area\\n";
                        location /api/inner/ {
                            return 200 "$tier|$who|$tier_class|$area\\n";
                        }
                    }
                    location /args/ {
                        set $args "a=1&$args";
                        return 200 "$args|$is_args|$query_string|$request_uri|$arg_b\\n";
                    }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyRequestGetsNginxsAnswer() throws Exception {
        List<String> requests = List.of(request("/"), request("/api/x"), request("/api/inner/y"), request("/args/x?b=2"));
        SideBySide.Answers answers = SideBySide.ask(directory, listen -> HTTP.formatted(Loopback.hostPort(listen)),
                requests);
        SideBySide.Summaries seen = answers.summarize(requests, request -> "", SetLikeNginxTest::body);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "bronze|127.0.0.7 via bronze|standard|\n",
                "gold|127.0.0.7 via bronze|premium|api:gold:/api/x\n",
                "bronze|127.0.0.7 via bronze|standard|\n",
                "a=1&b=2|?|a=1&b=2|/args/x?b=2|2\n");
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    private static String body(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
}
