package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captures a request has after a location search that went through nested regex locations, in nginx and in
 * proxyline for the same requests: each regex location on the way sets its named groups, which stay, and
 * {@code $1}..{@code $9} are the innermost regex's (emptied by one without groups). Compared: the status and the
 * body that {@code return} and {@code set} render.
 */
@Timeout(60)
class NestedCapturesLikeNginxTest {
    private static final String SERVER = """
                server {
                    listen %1$s;
                    location ~ ^/r/(?<outer>[a-z]+)/(\\w+) {
                        location ~ /(?<inner>\\d+)$ { return 200 "inner outer=[$outer] inner=[$inner] [$1] [$2]\\n"; }
                        location ~ /nog$ { return 200 "nog outer=[$outer] [$1] [$2]\\n"; }
                        return 200 "outer outer=[$outer] [$1] [$2]\\n";
                    }
                    location /p/ {
                        location ~ ^/p/(?<pi>\\w+)/(\\d+)$ {
                            location ~ (?<deep>\\d)$ { return 200 "deep pi=[$pi] deep=[$deep] [$1] [$2]\\n"; }
                        }
                    }
                    location ~ ^/n/(\\w+)/(\\w+) { location ~ ^/n/(x) { set $v "[$1][$2]"; return 200 "n $v\\n"; } }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void outerRegexLocationsKeepTheirNamedGroupsAndTheInnermostGivesTheNumberedOnes() throws Exception {
        List<String> requests = List.of(get("/r/abc/def/12"), get("/r/abc/def"), get("/r/abc/nog"), get("/p/ab/34"),
                get("/n/x/y"));
        SideBySide.Answers answers = SideBySide.ask(directory,
                listen -> SERVER.formatted(Loopback.hostPort(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /r/abc/def/12 HTTP/1.1 -> 200 inner outer=[abc] inner=[12] [12] []",
                "GET /r/abc/def HTTP/1.1 -> 200 outer outer=[abc] [abc] [def]",
                "GET /r/abc/nog HTTP/1.1 -> 200 nog outer=[abc] [] []",
                "GET /p/ab/34 HTTP/1.1 -> 200 deep pi=[ab] deep=[4] [4] []",
                "GET /n/x/y HTTP/1.1 -> 200 n [x][]");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }
}
