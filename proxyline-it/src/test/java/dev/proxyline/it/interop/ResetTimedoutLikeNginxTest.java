package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.it.harness.SideBySide;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reset_timedout_connection on} in nginx and in proxyline, seen by a raw client: a head the client did not
 * finish within {@code client_header_timeout} and a {@code return 444} end with a reset (the client's read fails with
 * ECONNRESET); a connection that sent nothing, one idle after its request, and a 444 where the location turns it off
 * end with an orderly close (EOF).
 */
@Timeout(60)
class ResetTimedoutLikeNginxTest {
    private static final String SERVER = """
                reset_timedout_connection on;
                client_header_timeout 1s;
                keepalive_timeout 1s;
                server {
                    listen %s;
                    location /close { return 444; }
                    location /quiet { reset_timedout_connection off; return 444; }
                    location / { return 200 "ok\\n"; }
                }
            """;

    @TempDir
    Path directory;

    @Test
    void timedOutClientsAndReturn444AreResetAsNginxResetsThem() throws Exception {
        List<String> requests = List.of(
                "GET / HTTP/1.1\r\nHost: a\r\n",
                "",
                "GET /close HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /quiet HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        SideBySide.Exchanges exchanges = SideBySide.exchange(directory,
                listen -> SERVER.formatted(Loopback.hostPort(listen)), requests);
        List<String> nginx = summaries(requests, exchanges.nginx());
        assertThat(summaries(requests, exchanges.proxyline())).containsExactlyElementsOf(nginx);
        assertThat(nginx).containsExactly(
                "unfinished head -> RESET",
                "nothing -> CLOSED",
                "GET /close -> RESET",
                "GET /quiet -> CLOSED",
                "GET / -> HTTP/1.1 200 OK CLOSED");
    }

    private static List<String> summaries(List<String> requests, List<RawClient.Exchange> exchanges) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String request = requests.get(i);
            String label = request.isEmpty() ? "nothing" : !request.endsWith("\r\n\r\n") ? "unfinished head"
                    : request.substring(0, request.indexOf(" HTTP/"));
            RawClient.Exchange exchange = exchanges.get(i);
            String status = exchange.statusLine();
            out.add(label + " -> " + (status.isEmpty() ? "" : status + " ") + exchange.ending());
        }
        return out;
    }
}
