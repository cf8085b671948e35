package dev.proxyline.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probe is worth running only if it tells a tail of all connections at once from a tail of one: the report's
 * "together" count, and every request of a real keep-alive exchange counted on its own connection.
 */
@Timeout(20)
class KeepAliveProbeTest {
    private static final long MS = 1_000_000;

    @Test
    void slowRequestsOfEveryConnectionInOneWindowCountAsTogether() {
        // Two connections, each slow once inside the same 10 ms window, and one more slow request of the first alone.
        var first = new KeepAliveProbe.Connection(1001, new long[] {MS, 9 * MS, MS, 7 * MS},
                new long[] {0, 20 * MS + 1, 30 * MS, 95 * MS});
        var second = new KeepAliveProbe.Connection(1002, new long[] {MS, 8 * MS}, new long[] {0, 25 * MS});

        List<String> lines = KeepAliveProbe.report(List.of(first, second), 4 * MS);

        assertThat(lines).containsExactly(
                "conn port=1001 requests=4 p50=7.00ms p99=9.00ms slow=2",
                "conn port=1002 requests=2 p50=8.00ms p99=8.00ms slow=1",
                "all requests=6 p50=7.00ms p99=9.00ms",
                "slow requests=3 windows=2 together=1");
    }

    @Test
    void aSlowConnectionOnItsOwnIsNeverTogether() {
        var lagging = new KeepAliveProbe.Connection(1001, new long[] {9 * MS, 9 * MS}, new long[] {0, 10 * MS});
        var fine = new KeepAliveProbe.Connection(1002, new long[] {MS, MS}, new long[] {0, 10 * MS});
        var alsoFine = new KeepAliveProbe.Connection(1003, new long[] {MS, MS}, new long[] {0, 10 * MS});

        assertThat(KeepAliveProbe.report(List.of(lagging, fine, alsoFine), 4 * MS))
                .last().isEqualTo("slow requests=2 windows=2 together=0");
    }

    @Test
    void slowStartsListEverySlowRequestOfEveryConnectionInStartOrder() {
        var first = new KeepAliveProbe.Connection(1001, new long[] {9 * MS, MS, 5 * MS},
                new long[] {3_000_000_000L, 3_010_000_000L, 3_020_000_000L});
        var second = new KeepAliveProbe.Connection(1002, new long[] {6 * MS}, new long[] {3_015_000_000L});

        assertThat(KeepAliveProbe.slowStarts(List.of(first, second), 4 * MS))
                .containsExactly("3.000000 9.00", "3.015000 6.00", "3.020000 5.00");
    }

    @Test
    void countsEveryAnswerOfAKeepAliveServerOnItsConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serve(server), "answers");
            acceptor.setDaemon(true);
            acceptor.start();

            List<KeepAliveProbe.Connection> connections = KeepAliveProbe.run(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2, 300 * MS);

            assertThat(connections).hasSize(2).allSatisfy(connection -> {
                assertThat(connection.latencies()).isNotEmpty().doesNotContain(0L);
                assertThat(connection.starts()).hasSameSizeAs(connection.latencies()).isSorted();
            });
            assertThat(connections.get(0).localPort()).isNotEqualTo(connections.get(1).localPort());
        }
    }

    /** Answers every request head on every accepted connection with a 3-byte body, until the socket closes. */
    private static void serve(ServerSocket server) {
        byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII);
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> {
                    try (socket; var in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII))) {
                        OutputStream out = socket.getOutputStream();
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.isEmpty()) {
                                out.write(answer);
                            }
                        }
                    } catch (IOException e) {
                        // the probe closed the connection at its deadline
                    }
                });
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
