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
 * The captures a {@code map} regex's match leaves the request, in nginx and in proxyline for the same requests: a map
 * used by {@code set} or {@code if} makes its regex's groups {@code $1}..{@code $9} and its named groups variables for
 * the directives after (a regex without groups empties {@code $1}..{@code $9}; a map whose regexes all miss changes
 * nothing, so a regex location's captures stay). Compared: the status and the body {@code return} renders.
 */
@Timeout(60)
class MapCapturesLikeNginxTest {
    private static final String SERVER = """
                map $uri $m {
                    ~^/m/(?<mx>[a-z]+)/(\\d+)  "v$2";
                    ~^/m/none$               nogroups;
                    ~^/m/(?<only_named>z+)   named;
                    default                  d;
                }
                map $http_x_b $mb { ~^yes$ nog; "~^(?<bb>q)(.)" g; default none; }
                map $http_x_a $ma { ~^(?<hx>a+)(b*)$ A; default none; }
                server {
                    listen %1$s;
                    location /m/ { set $t $m; return 200 "t=$t 1=[$1] 2=[$2] mx=[$mx] on=[$only_named]\\n"; }
                    location ~ ^/lb/(\\w+)/(\\w+) { set $t $mb; return 200 "lb t=$t 1=[$1] 2=[$2] bb=[$bb]\\n"; }
                    location /h/ { set $t $ma; return 200 "ma=$t hx=[$hx] 1=[$1] 2=[$2]\\n"; }
                    location /if/ { if ($mb = g) { return 200 "if 1=[$1] 2=[$2] bb=[$bb]\\n"; } return 200 "not g\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void aMapRegexMatchSetsTheRequestsCapturesForTheDirectivesAfterIt() throws Exception {
        List<String> requests = List.of(get("/m/abc/12", ""), get("/m/none", ""), get("/m/zz", ""),
                get("/m/other", ""), get("/lb/a/b", "X-B: yes\r\n"), get("/lb/a/b", "X-B: qz\r\n"),
                get("/lb/a/b", "X-B: no\r\n"), get("/h/", "X-A: aab\r\n"), get("/if/", "X-B: qr\r\n"));
        SideBySide.Answers answers = SideBySide.ask(directory,
                listen -> SERVER.formatted(Loopback.hostPort(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, MapCapturesLikeNginxTest::label,
                SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).containsExactly(
                "GET /m/abc/12 -> 200 t=v12 1=[abc] 2=[12] mx=[abc] on=[]",
                "GET /m/none -> 200 t=nogroups 1=[] 2=[] mx=[] on=[]",
                "GET /m/zz -> 200 t=named 1=[zz] 2=[] mx=[] on=[zz]",
                "GET /m/other -> 200 t=d 1=[] 2=[] mx=[] on=[]",
                "GET /lb/a/b X-B: yes -> 200 lb t=nog 1=[] 2=[] bb=[]",
                "GET /lb/a/b X-B: qz -> 200 lb t=g 1=[q] 2=[z] bb=[q]",
                "GET /lb/a/b X-B: no -> 200 lb t=none 1=[a] 2=[b] bb=[]",
                "GET /h/ X-A: aab -> 200 ma=A hx=[aa] 1=[aa] 2=[b]",
                "GET /if/ X-B: qr -> 200 if 1=[q] 2=[r] bb=[q]");
    }

    private static String get(String target, String fields) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\n" + fields + "Connection: close\r\n\r\n";
    }

    /** The request line's method and target, and its X- field if it has one. */
    private static String label(String request) {
        List<String> lines = request.lines().toList();
        String field = lines.stream().filter(l -> l.startsWith("X-")).findFirst().map(l -> " " + l).orElse("");
        return lines.get(0).replace(" HTTP/1.1", "") + field + " -> ";
    }
}
