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
 * The same {@code map} blocks and server, word for word, in nginx and in proxyline: every request must get the
 * same answer from both. The maps cover every kind of key (exact ignoring case, the empty string, host name
 * masks, regexes with and without case, an escaped special name), captures in values, a map that uses a map
 * defined after it, and nginx's WebSocket idiom.
 */
@Timeout(60)
class MapLikeNginxTest {
    private static final String MAPS = """
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }
                map $http_host $site {
                    hostnames;
                    default               none;
                    example.com           exact;
                    *.example.com         suffix;
                    *.deep.example.com    longer-suffix;
                    .example.net          both;
                    www.*                 prefix;
                    ~^api\\.              regex;
                    ~*^SHOP               regex-ignoring-case;
                    \\default             escaped;
                }
                map $request_uri $moved {
                    ~^/old/(?<rest>[a-z/]*)   /new/$rest;
                    ~^/item/(\\d+)/(\\d+)     /items/$2-$1x;
                    /exact                    exact-uri;
                }
                map $moved $moved_or_none {
                    ''       -;
                    default  [$moved];
                }
            """;
    private static final String SERVER = """
                server {
                    listen %s;
                    location / {
                        return 200 "$connection_upgrade|$site|$moved_or_none\\n";
                    }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void everyRequestGetsNginxsAnswer() throws Exception {
        List<String> requests = List.of(
                request("example.com", "/"),
                request("EXAMPLE.Com", "/"),
                request("example.com.", "/"),
                request("a.example.com", "/old/a/b"),
                request("x.deep.example.com", "/"),
                request("example.net", "/item/12/34"),
                request("b.example.net", "/exact"),
                request("www.example.org", "/exact?x"),
                request("api.other", "/"),
                request("shop.other", "/"),
                request("ShOp.other", "/old/UPPER"),
                request("default", "/"),
                request("other", "/"),
                "GET /ws HTTP/1.1\r\nHost: other\r\nUpgrade: websocket\r\nConnection: close\r\n\r\n");
        SideBySide.Answers answers = SideBySide.ask(directory,
                listen -> MAPS + SERVER.formatted(Loopback.hostPort(listen)), requests);
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine, MapLikeNginxTest::body);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        // And the answers are the ones the maps are meant to give, so that the comparison cannot pass by both
        // failing alike.
        assertThat(seen.nginx()).contains(
                "GET / HTTP/1.1 -> close|exact|-\n",
                "GET /old/a/b HTTP/1.1 -> close|suffix|[/new/a/b]\n",
                "GET /item/12/34 HTTP/1.1 -> close|both|[/items/34-12x]\n",
                "GET /ws HTTP/1.1 -> upgrade|none|-\n");
    }

    private static String body(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    private static String request(String host, String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }
}
