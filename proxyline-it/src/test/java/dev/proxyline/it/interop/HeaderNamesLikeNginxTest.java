package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code underscores_in_headers} and {@code ignore_invalid_headers} in nginx and in proxyline: which fields the
 * upstream gets and what {@code $http_x_under} sees, with nginx's defaults (a name with {@code _} or another character
 * than a letter, a digit or {@code -} is dropped), with {@code underscores_in_headers on} (only the others are),
 * and with {@code ignore_invalid_headers off} (none is); the Host field switches to its server's settings for the
 * fields after it, so one before the Host is judged by the default server's.
 */
@Timeout(60)
class HeaderNamesLikeNginxTest {
    private static final String SERVERS = """
                upstream app { server %2$s; }
                server {
                    listen %1$s default_server;
                    location /var { return 200 "[$http_x_under]\\n"; }
                    location / { proxy_pass http://app; }
                }
                server {
                    listen %1$s;
                    server_name under;
                    underscores_in_headers on;
                    location /var { return 200 "[$http_x_under]\\n"; }
                    location / { proxy_pass http://app; }
                }
                server {
                    listen %1$s;
                    server_name keep;
                    ignore_invalid_headers off;
                    location /var { return 200 "[$http_x_under]\\n"; }
                    location / { proxy_pass http://app; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void fieldsWithUnderscoresOrOtherCharactersAreDroppedOrKeptAsNginxDoes() throws Exception {
        List<String> requests = new ArrayList<>();
        for (String host : List.of("default", "under", "keep")) {
            requests.add(request("/var/" + host, host, true));
            requests.add(request("/up/" + host, host, true));
        }
        requests.add(request("/var/before-keep", "keep", false));
        requests.add(request("/up/before-keep", "keep", false));
        SideBySide.Answers answers;
        List<String> nginxSent = new ArrayList<>();
        List<String> proxylineSent = new ArrayList<>();
        try (HttpBackend backend = HttpBackend.start()) {
            answers = SideBySide.ask(directory, listen -> SERVERS.formatted(Loopback.hostPort(listen),
                    Loopback.hostPort(backend.address())), requests);
            for (String path : List.of("/up/default", "/up/under", "/up/keep", "/up/before-keep")) {
                backend.await(path, Duration.ofSeconds(5));
                List<HttpBackend.Seen> both = backend.all(path);
                assertThat(both).as(path).hasSize(2);
                nginxSent.add(path + " " + xFields(both.get(0)));
                proxylineSent.add(path + " " + xFields(both.get(1)));
            }
        }
        SideBySide.Summaries seen = answers.summarize(requests, SideBySide::requestLine,
                SideBySide::statusLocationOrBody);
        assertThat(seen.proxyline()).containsExactlyElementsOf(seen.nginx());
        assertThat(seen.nginx()).contains(
                "GET /var/default HTTP/1.1 -> 200 []",
                "GET /var/under HTTP/1.1 -> 200 [u]",
                "GET /var/keep HTTP/1.1 -> 200 [u]",
                "GET /var/before-keep HTTP/1.1 -> 200 []");
        assertThat(proxylineSent).containsExactlyElementsOf(nginxSent);
        assertThat(nginxSent).containsExactly(
                "/up/default [x-ok]",
                "/up/under [x-ok, x_under]",
                "/up/keep [x-ok, x.dot, x_under]",
                "/up/before-keep [x-ok]");
    }

    /** A GET with a field of each kind, after the Host field or before it. */
    private static String request(String path, String host, boolean afterHost) {
        String fields = "X_Under: u\r\nX.Dot: d\r\nX-Ok: o\r\n";
        String hostLine = "Host: " + host + "\r\n";
        return "GET " + path + " HTTP/1.1\r\n" + (afterHost ? hostLine + fields : fields + hostLine)
                + "Connection: close\r\n\r\n";
    }

    /** The names of the X- fields the upstream got, lower case, sorted. */
    private static String xFields(HttpBackend.Seen seen) {
        return seen.headers().keySet().stream().filter(name -> name.startsWith("x") && !name.startsWith("x-forwarded")
                        && !name.startsWith("x-real") && !name.startsWith("x-request") && !name.startsWith("x-scheme")
                        && !name.startsWith("x-original")).sorted()
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
