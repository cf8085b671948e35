package dev.proxyline.server.app;

import static dev.proxyline.server.testing.PeerThreads.readOrEof;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Stream {@code limit_conn} on real sockets, on every stream path: sessions in progress capped per key. */
class StreamLimitConnTest {
    private static final String OTHER_CLIENT_IP = "127.0.0.8";

    @TempDir
    Path dir;

    static List<Rig.StreamPath> transports() {
        return Rig.StreamPath.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aSecondSessionOfAClientIsClosedWith503UntilTheFirstEndsWhicheverWorkerRunsIt(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        Path log = dir.resolve("access.log");
        try (Backend backend = Backend.echo();
             LogCapture errors = LogCapture.of(StreamService.class);
             Rig rig = Rig.start(dir, """
                worker_processes 2;
                stream {
                    log_format limits '$remote_addr $status $limit_conn_status';
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    server {
                        listen 127.0.0.1:%d;
                        access_log access.log limits;
                        limit_conn addr 1;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(port, backend.port()), transport)) {
            try (Socket held = Rig.client(port)) {
                assertEchoes(held);
                try (Socket second = Rig.client(port)) {
                    assertClosed(second);
                }
                assertThat(Rig.awaitLogLines(log, 1)).containsExactly(Rig.CLIENT_IP + " 503 REJECTED");
                assertThat(errors.lines).anySatisfy(line -> assertThat(line).isEqualTo(
                        "limiting connections by zone \"addr\", client: 127.0.0.7, server: 127.0.0.1:" + port));
                try (Socket other = client(OTHER_CLIENT_IP, port)) {
                    assertEchoes(other);
                }
                assertThat(Rig.awaitLogLines(log, 2)).as("another key is counted apart")
                        .contains(OTHER_CLIENT_IP + " 200 PASSED");
            }
            // The held session's line is written once its count is given back.
            assertThat(Rig.awaitLogLines(log, 3)).contains(Rig.CLIENT_IP + " 200 PASSED");
            try (Socket next = Rig.client(port)) {
                assertEchoes(next);
            }
            assertThat(Rig.awaitLogLines(log, 4)).containsExactly(Rig.CLIENT_IP + " 503 REJECTED",
                    OTHER_CLIENT_IP + " 200 PASSED", Rig.CLIENT_IP + " 200 PASSED", Rig.CLIENT_IP + " 200 PASSED");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aDryRunLetsTheSessionOverTheLimitThroughAndLogsIt(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        Path log = dir.resolve("access.log");
        try (Backend backend = Backend.echo();
             LogCapture errors = LogCapture.of(StreamService.class);
             Rig rig = Rig.start(dir, """
                stream {
                    log_format limits '$status $limit_conn_status';
                    limit_conn_zone $remote_addr zone=addr:1m;
                    limit_conn addr 1;
                    limit_conn_dry_run on;
                    limit_conn_log_level warn;
                    server {
                        listen 127.0.0.1:%d;
                        access_log access.log limits;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(port, backend.port()), transport)) {
            try (Socket held = Rig.client(port); Socket over = Rig.client(port)) {
                assertEchoes(held);
                assertEchoes(over);
            }
            assertThat(Rig.awaitLogLines(log, 2)).containsExactlyInAnyOrder("200 PASSED", "200 REJECTED_DRY_RUN");
            assertThat(errors.lines).anySatisfy(line -> assertThat(line).isEqualTo(
                    "limiting connections, dry run, by zone \"addr\", client: 127.0.0.7, server: 127.0.0.1:" + port));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aSessionThatAllowAndDenyOrTheUpstreamRefuseGivesItsCountBack(Rig.StreamPath transport) throws Exception {
        int denied = Rig.freePort();
        int unreachable = Rig.freePort();
        Path log = dir.resolve("access.log");
        try (Rig rig = Rig.start(dir, """
                stream {
                    log_format limits '$server_port $status $limit_conn_status';
                    access_log access.log limits;
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    limit_conn addr 1;
                    server {
                        listen 127.0.0.1:%d;
                        deny all;
                        proxy_pass 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_connect_timeout 2s;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(denied, Backend.closedPort(), unreachable, Backend.closedPort()), transport)) {
            for (int i = 0; i < 2; i++) {
                try (Socket client = Rig.client(denied)) {
                    assertClosed(client);
                }
                assertThat(Rig.awaitLogLines(log, 2 * i + 1)).last().isEqualTo(denied + " 403 PASSED");
                try (Socket client = Rig.client(unreachable)) {
                    assertClosed(client);
                }
                assertThat(Rig.awaitLogLines(log, 2 * i + 2)).last().isEqualTo(unreachable + " 502 PASSED");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void theKeyIsTheClientOfATrustedProxyHeader(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        Path log = dir.resolve("access.log");
        try (Backend backend = Backend.echo();
             Rig rig = Rig.start(dir, """
                stream {
                    log_format limits '$remote_addr $status $limit_conn_status';
                    limit_conn_zone $binary_remote_addr zone=addr:1m;
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        set_real_ip_from 127.0.0.0/8;
                        access_log access.log limits;
                        limit_conn addr 1;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(port, backend.port()), transport)) {
            try (Socket held = Rig.client(port); Socket other = Rig.client(port); Socket over = Rig.client(port)) {
                sendHeader(held, "198.51.100.7", port);
                assertEchoes(held);
                sendHeader(other, "198.51.100.8", port);
                assertEchoes(other);
                sendHeader(over, "198.51.100.7", port);
                assertClosed(over);
                assertThat(Rig.awaitLogLines(log, 1)).containsExactly("198.51.100.7 503 REJECTED");
            }
            assertThat(Rig.awaitLogLines(log, 3)).containsExactlyInAnyOrder("198.51.100.7 503 REJECTED",
                    "198.51.100.7 200 PASSED", "198.51.100.8 200 PASSED");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void anEmptyKeyIsNotCounted(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        Path log = dir.resolve("access.log");
        try (Backend backend = Backend.echo();
             Rig rig = Rig.start(dir, """
                stream {
                    log_format limits '$status "$limit_conn_status"';
                    limit_conn_zone $proxy_protocol_addr zone=header:1m;
                    server {
                        listen 127.0.0.1:%d;
                        access_log access.log limits;
                        limit_conn header 1;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(port, backend.port()), transport)) {
            try (Socket first = Rig.client(port); Socket second = Rig.client(port)) {
                assertEchoes(first);
                assertEchoes(second);
            }
            assertThat(Rig.awaitLogLines(log, 2)).containsExactly("200 \"-\"", "200 \"-\"");
        }
    }

    private static Socket client(String ip, int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return s;
    }

    private static void sendHeader(Socket client, String source, int port) throws IOException {
        client.getOutputStream().write(("PROXY TCP4 " + source + " 127.0.0.1 40000 " + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertEchoes(Socket client) throws IOException {
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }

    private static void assertClosed(Socket client) throws IOException {
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
    }
}
