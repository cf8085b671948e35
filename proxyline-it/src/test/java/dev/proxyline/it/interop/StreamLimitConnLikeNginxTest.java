package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SocketBackend;
import dev.proxyline.it.harness.StreamSideBySide;
import dev.proxyline.it.harness.StreamSideBySide.Peer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same stream {@code limit_conn} block, word for word, in nginx's stream module and in proxyline, with the same
 * clients in the same order: a client's second session while its first is held, another client meanwhile, the
 * next session once the first ended, a dry run, and sessions that {@code deny} refuses after {@code limit_conn}
 * counted them. Compared: what each client saw (its echo, or the connection closed) and the access log lines
 * {@code $remote_addr $status $limit_conn_status}.
 */
@Timeout(60)
class StreamLimitConnLikeNginxTest {
    private static final InetAddress OTHER_CLIENT = literal(127, 0, 0, 8);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String STREAM = """
            stream {
                log_format limits '$remote_addr $status $limit_conn_status';
                limit_conn_zone $binary_remote_addr zone=addr:1m;
                limit_conn_zone $remote_addr zone=text:1m;
                server {
                    listen %1$s;
                    access_log limited.log limits;
                    limit_conn addr 1;
                    proxy_pass %4$s;
                }
                server {
                    listen %2$s;
                    access_log dry.log limits;
                    limit_conn text 1;
                    limit_conn_dry_run on;
                    proxy_pass %4$s;
                }
                server {
                    listen %3$s;
                    access_log denied.log limits;
                    limit_conn addr 1;
                    deny 127.0.0.7;
                    proxy_pass %4$s;
                }
            }
            """;

    @TempDir
    Path directory;

    @Test
    void clientsAreLimitedAndLoggedAsNginxDoesIt() throws Exception {
        try (SocketBackend backend = SocketBackend.start(
                socket -> socket.getInputStream().transferTo(socket.getOutputStream()), Duration.ofSeconds(30))) {
            Function<List<InetSocketAddress>, String> stream = listens -> STREAM.formatted(
                    Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                    Loopback.hostPort(listens.get(2)), Loopback.hostPort(backend.address()));
            List<String> fromNginx = StreamSideBySide.nginx(directory, 3, stream, StreamLimitConnLikeNginxTest::run)
                    .steps();
            // Not equal by both letting everyone in or refusing everyone: nginx did this.
            assertThat(fromNginx).containsExactly(
                    "held: one", "second while held: closed", "log limited: 127.0.0.7 503 REJECTED",
                    "other client: other", "log limited: 127.0.0.8 200 PASSED",
                    "log limited: 127.0.0.7 200 PASSED", "after the held one ended: three",
                    "log limited: 127.0.0.7 200 PASSED",
                    "dry run, first: one", "dry run, second: two",
                    "log dry: 127.0.0.7 200 PASSED", "log dry: 127.0.0.7 200 REJECTED_DRY_RUN",
                    "denied: closed", "log denied: 127.0.0.7 403 PASSED",
                    "denied again: closed", "log denied: 127.0.0.7 403 PASSED");
            List<String> fromProxyline = StreamSideBySide.proxyline(directory, 3, stream, UnaryOperator.identity(),
                    StreamLimitConnLikeNginxTest::run).steps();
            assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        }
    }

    /** The same steps against one peer, each waiting for the log line of the one before, as a transcript. */
    private static List<String> run(Peer peer) throws Exception {
        List<String> seen = new ArrayList<>();
        InetSocketAddress limited = peer.listen(0);
        InetSocketAddress dry = peer.listen(1);
        InetSocketAddress denied = peer.listen(2);
        try (Socket held = Loopback.connectFromClient(limited, WAIT)) {
            seen.add("held: " + exchange(held, "one"));
            try (Socket second = Loopback.connectFromClient(limited, WAIT)) {
                seen.add("second while held: " + exchange(second, "two"));
            }
            seen.addAll(logged(peer, "limited", 1));
            try (Socket other = connect(OTHER_CLIENT, limited)) {
                seen.add("other client: " + exchange(other, "other"));
            }
            seen.addAll(logged(peer, "limited", 2).subList(1, 2));
        }
        seen.addAll(logged(peer, "limited", 3).subList(2, 3));
        try (Socket next = Loopback.connectFromClient(limited, WAIT)) {
            seen.add("after the held one ended: " + exchange(next, "three"));
        }
        seen.addAll(logged(peer, "limited", 4).subList(3, 4));

        try (Socket first = Loopback.connectFromClient(dry, WAIT)) {
            seen.add("dry run, first: " + exchange(first, "one"));
            try (Socket second = Loopback.connectFromClient(dry, WAIT)) {
                seen.add("dry run, second: " + exchange(second, "two"));
            }
            logged(peer, "dry", 1);
        }
        // The second ended first, but its line is the dry run's; the order of the two is fixed here.
        seen.addAll(logged(peer, "dry", 2).stream().sorted().toList());

        for (String step : List.of("denied", "denied again")) {
            try (Socket client = Loopback.connectFromClient(denied, WAIT)) {
                seen.add(step + ": " + exchange(client, "x"));
            }
            List<String> lines = logged(peer, "denied", step.equals("denied") ? 1 : 2);
            seen.add(lines.get(lines.size() - 1));
        }
        return seen;
    }

    /** Writes {@code text} and reads its echo; "closed" when the peer closed (or reset) the connection first. */
    private static String exchange(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            byte[] echo = in.readNBytes(text.length());
            return echo.length == text.length() ? new String(echo, StandardCharsets.US_ASCII) : "closed";
        } catch (SocketException reset) {
            return "closed";
        }
    }

    /** The first {@code count} lines of {@code NAME.log}, waiting for them, each as {@code log NAME: LINE}. */
    private static List<String> logged(Peer peer, String name, int count) throws InterruptedException {
        return peer.logged(name, count).stream().map(line -> "log " + name + ": " + line).toList();
    }

    private static Socket connect(InetAddress from, InetSocketAddress to) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(to, (int) WAIT.toMillis());
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static InetAddress literal(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
