package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.AsciiLines;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.StreamSideBySide;
import dev.proxyline.it.harness.StreamSideBySide.Peer;
import dev.proxyline.it.harness.StreamSideBySide.Transcript;
import dev.proxyline.it.harness.UnixBackend;
import dev.proxyline.server.app.RunOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * The same stream block with {@code unix:PATH} upstreams, word for word, in nginx's stream module and in proxyline on
 * each of its session paths (raw descriptors, channels, NIO): {@code proxy_pass unix:PATH}, an upstream block of
 * UNIX-domain servers with {@code proxy_protocol on}, the next server after a missing socket file, a missing file and
 * a refused socket alone, and a {@code proxy_pass} with variables that expands to {@code unix:PATH}. Compared: what the
 * client got back (the PROXY header the backend read, with the listen address and the client's port made neutral),
 * the access log lines {@code $remote_addr $status $upstream_addr}, and the words of the failed connects in the error
 * log.
 */
@Timeout(120)
class StreamUnixUpstreamLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String STREAM = """
            stream {
                log_format unix '$remote_addr $status $upstream_addr';
                upstream sent { server unix:%8$s; }
                upstream failover { server unix:%9$s; server unix:%7$s; }
                map $remote_addr $target { default unix:%7$s; }
                server { listen %1$s; access_log direct.log unix; proxy_pass unix:%7$s; }
                server { listen %2$s; access_log proxied.log unix; proxy_protocol on; proxy_pass sent; }
                server { listen %3$s; access_log next.log unix; proxy_pass failover; }
                server { listen %4$s; access_log missing.log unix; proxy_pass unix:%9$s; }
                server { listen %5$s; access_log refused.log unix; proxy_pass unix:%10$s; }
                server { listen %6$s; access_log variable.log unix; proxy_pass $target; }
            }
            """;

    @TempDir
    Path directory;

    @Test
    void unixUpstreamsAreServedAndLoggedAsNginxDoesIt() throws Exception {
        Path echo = directory.resolve("echo.sock");
        Path proxied = directory.resolve("proxied.sock");
        Path missing = directory.resolve("missing.sock");
        Path refused = directory.resolve("refused.sock");
        UnixBackend.abandoned(refused);
        try (UnixBackend echoing = UnixBackend.start(echo,
                (in, out, serial) -> out.write(bytes(AsciiLines.read(in) + "\n")));
             UnixBackend reading = UnixBackend.start(proxied,
                     (in, out, serial) -> out.write(bytes(AsciiLines.read(in) + " | " + AsciiLines.read(in) + "\n")))) {
            Function<List<InetSocketAddress>, String> stream = listens -> STREAM.formatted(
                    Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                    Loopback.hostPort(listens.get(2)), Loopback.hostPort(listens.get(3)),
                    Loopback.hostPort(listens.get(4)), Loopback.hostPort(listens.get(5)),
                    echo, proxied, missing, refused);
            List<String> expected = List.of(
                    "direct: hello", "log direct: 127.0.0.7 200 unix:" + echo,
                    "proxied: PROXY TCP4 127.0.0.7 LISTEN CLIENT_PORT LISTEN_PORT | hello",
                    "log proxied: 127.0.0.7 200 unix:" + proxied,
                    "next: hello", "log next: 127.0.0.7 200 unix:" + missing + ", unix:" + echo,
                    "missing: closed", "log missing: 127.0.0.7 502 unix:" + missing,
                    "refused: closed", "log refused: 127.0.0.7 502 unix:" + refused,
                    "variable: hello", "log variable: 127.0.0.7 200 unix:" + echo);
            Transcript nginx = StreamSideBySide.nginx(directory, 6, stream, StreamUnixUpstreamLikeNginxTest::run);
            // Not equal by both failing alike: this is what nginx did.
            assertThat(nginx.steps()).containsExactlyElementsOf(expected);
            assertThat(nginx.logged("connect() to unix:" + missing + " failed (2: No such file or directory)"))
                    .as("nginx: %s", nginx.errors()).isTrue();
            assertThat(nginx.logged("connect() to unix:" + refused + " failed (111: Connection refused)"))
                    .as("nginx: %s", nginx.errors()).isTrue();
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                Transcript ours = StreamSideBySide.proxyline(directory, 6, stream, path,
                        StreamUnixUpstreamLikeNginxTest::run);
                assertThat(ours.steps()).containsExactlyElementsOf(nginx.steps());
                assertThat(ours.logged("connect() failed (") && ours.logged("No such file or directory")
                        && ours.logged("while connecting to upstream unix:" + missing))
                        .as("proxyline: %s", ours.errors()).isTrue();
                assertThat(ours.logged("Connection refused") && ours.logged("upstream unix:" + refused))
                        .as("proxyline: %s", ours.errors()).isTrue();
            }
        }
    }

    /** The steps against one peer, each waiting for its session's log line. */
    private static List<String> run(Peer peer) throws Exception {
        List<String> seen = new ArrayList<>();
        seen.add("direct: " + exchange(peer.listen(0), "hello"));
        seen.add("log " + peer.line("direct", 1));
        try (Socket client = Loopback.connectFromClient(peer.listen(1), WAIT)) {
            client.setSoTimeout((int) WAIT.toMillis());
            client.getOutputStream().write(bytes("hello\n"));
            String answer = StreamSideBySide.firstLine(client);
            InetSocketAddress listen = peer.listen(1);
            seen.add("proxied: " + answer.replace(" " + listen.getAddress().getHostAddress() + " ", " LISTEN ")
                    .replace(" " + client.getLocalPort() + " " + listen.getPort() + " ", " CLIENT_PORT LISTEN_PORT "));
        }
        seen.add("log " + peer.line("proxied", 1));
        seen.add("next: " + exchange(peer.listen(2), "hello"));
        seen.add("log " + peer.line("next", 1));
        seen.add("missing: " + exchange(peer.listen(3), "hello"));
        seen.add("log " + peer.line("missing", 1));
        seen.add("refused: " + exchange(peer.listen(4), "hello"));
        seen.add("log " + peer.line("refused", 1));
        seen.add("variable: " + exchange(peer.listen(5), "hello"));
        seen.add("log " + peer.line("variable", 1));
        return seen;
    }

    /** Sends a line and reads the first line back, "closed" when none came. */
    private static String exchange(InetSocketAddress target, String text) {
        return StreamSideBySide.plain(target, bytes(text + "\n"), false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
