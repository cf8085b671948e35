package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.server.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a stream session must do whichever path runs it (on epoll: raw descriptors, the default, and channels):
 * a retry after a timed-out connect with the same log line (after a refused one: {@code RuntimeRelayTest}), the
 * real client in the header sent upstream, {@code worker_connections}, the drain deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamPathsTest {
    @TempDir
    Path dir;

    static List<Rig.StreamPath> paths() {
        return Rig.StreamPath.onBestTransport();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aServerThatDoesNotAcceptWithinProxyConnectTimeoutIsPassedOver(Rig.StreamPath path) throws Exception {
        try (FullBacklog full = FullBacklog.open(); Backend backend = Backend.echo();
             LogCapture connects = LogCapture.of(GroupConnector.class)) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format up '$upstream_addr $status';
                        upstream pool {
                            server 127.0.0.1:%d;
                            server 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d;
                            proxy_connect_timeout 300ms;
                            access_log up.log up;
                            proxy_pass pool;
                        }
                    }
                    """.formatted(full.port(), backend.port(), port), path)) {
                echo(port, "slow");
                assertThat(Rig.awaitLog(dir.resolve("up.log")))
                        .isEqualTo("127.0.0.1:" + full.port() + ", 127.0.0.1:" + backend.port() + " 200\n");
            }
            assertThat(connects.lines).singleElement().asString().startsWith(
                    "upstream timed out (connection timed out after 300 ms: /127.0.0.1:" + full.port()
                    + ") while connecting to upstream 127.0.0.1:" + full.port() + ", client " + Rig.CLIENT_IP + ":");
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void bytesThatCameWithTheHeaderAndTheClientsFinReachTheUpstreamBehindTheRealClientsHeader(Rig.StreamPath path)
            throws Exception {
        InetSocketAddress realClient = new InetSocketAddress("198.51.100.4", 40000);
        try (Backend backend = Backend.expectingHeader()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from %s;
                            proxy_protocol on;
                            proxy_protocol_version 2;
                            proxy_half_close on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, Rig.CLIENT_IP, backend.port()), path);
                 Socket client = Rig.client(port)) {
                OutputStream out = client.getOutputStream();
                byte[] header = ProxyHeaderEncoder.encode(
                        ProxyHeader.tcp(ProtocolVersion.V1, realClient, new InetSocketAddress("127.0.0.1", port)));
                byte[] payload = "early".getBytes(StandardCharsets.US_ASCII);
                byte[] both = new byte[header.length + payload.length];
                System.arraycopy(header, 0, both, 0, header.length);
                System.arraycopy(payload, 0, both, header.length, payload.length);
                // One write and the FIN: the payload and the end of input come with the header.
                out.write(both);
                client.shutdownOutput();

                assertThat(client.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("early");
                ProxyHeader sent = Backend.header(backend.nextHeader());
                assertThat(sent.version()).isEqualTo(ProtocolVersion.V2);
                assertThat(sent.sourceAddress()).contains(realClient);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void refusedSourcesAndHeadersAreClosedAndLoggedWith403And400AndAnOptionalSourceWithoutHeaderIsRelayed(
            Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int rejecting = Rig.freePort();
            int requiring = Rig.freePort();
            int optional = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format refused '$server_port $remote_addr $status $bytes_received';
                        access_log refused.log refused;
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            proxy_protocol_policy reject;
                            proxy_pass 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            proxy_pass 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from %s;
                            proxy_protocol_policy optional from %s;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(rejecting, backend.port(), requiring, backend.port(), optional, Rig.CLIENT_IP,
                    Rig.CLIENT_IP + "/32", backend.port()), path)) {
                try (Socket client = Rig.client(rejecting)) {
                    assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
                }
                try (Socket client = Rig.client(requiring)) {
                    client.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
                }
                echo(optional, "no header");
            }
            // Read after the stop, when every session has written its line.
            assertThat(Files.readAllLines(dir.resolve("refused.log"))).containsExactlyInAnyOrder(
                    rejecting + " " + Rig.CLIENT_IP + " 403 0",
                    requiring + " " + Rig.CLIENT_IP + " 400 0",
                    optional + " " + Rig.CLIENT_IP + " 200 9");
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aWorkerWithAllItsConnectionsInUseClosesTheNextUntilOneEnds(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    worker_processes 1;
                    events { worker_connections 1; }
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path)) {
                try (Socket first = Rig.client(port)) {
                    first.getOutputStream().write('1');
                    assertThat(first.getInputStream().read()).isEqualTo('1');
                    try (Socket second = Rig.client(port)) {
                        assertThat(readOrReset(second.getInputStream())).isEqualTo(-1);
                    }
                    first.getOutputStream().write('2');
                    assertThat(first.getInputStream().read()).as("the first connection still works").isEqualTo('2');
                }
                // The slot comes back when the first session has ended.
                awaitOpenSessions(rig, 0);
                echo(port, "3");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void theDrainDeadlineCutsASessionWhoseUpstreamIsStillConnecting(Rig.StreamPath path) throws Exception {
        try (FullBacklog full = FullBacklog.open()) {
            int port = Rig.freePort();
            Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_connect_timeout 30s;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, full.port()), path);
            try (Socket client = Rig.client(port)) {
                client.getOutputStream().write("waiting".getBytes(StandardCharsets.US_ASCII));
                awaitOpenSessions(rig, 1);

                assertThat(rig.server.stop(Duration.ofMillis(300))).as("sessions cut").isEqualTo(1);
                assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
            }
        }
    }

    /** Raw descriptors only: a channel whose client resets while it connects ends without an error of its own. */
    @Test
    void onRawDescriptorsAClientResetWhileItIsNotReadEndsTheSessionWithTheResetNamed() throws Exception {
        assumeTrue(Transport.epollAvailable(), "epoll is not available here");
        Logger serviceLog = Logger.getLogger(StreamService.class.getName());
        Level level = serviceLog.getLevel();
        serviceLog.setLevel(Level.FINE);
        try (FullBacklog full = FullBacklog.open(); LogCapture sessions = LogCapture.of(StreamService.class)) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_buffer_size 4;
                            proxy_connect_timeout 30s;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, full.port()), Rig.StreamPath.RAW);
                 Socket client = Rig.client(port)) {
                // More than proxy_buffer_size while the upstream connects: the session reads 4 bytes, then stops.
                client.getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
                awaitOpenSessions(rig, 1);
                Thread.sleep(200);
                client.setSoLinger(true, 0);
                client.close();
                Thread.sleep(100);
                // Room in the accept queue: the connect's next SYN gets through and the session can end.
                full.server.accept().close();

                awaitOpenSessions(rig, 0);
            }
            // Not "connection error (epoll events 0x1c)": the reset itself (a read would say it too, had one run).
            assertThat(sessions.lines).singleElement().asString()
                    .startsWith("stream session from " + Rig.CLIENT_IP + ":")
                    .contains(": client side: ").endsWith("Exception: Connection reset by peer");
        } finally {
            serviceLog.setLevel(level);
        }
    }

    /** Sends {@code text}, reads its echo, closes. */
    private static void echo(int port, String text) throws IOException {
        try (Socket client = Rig.client(port)) {
            client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            assertThat(client.getInputStream().readNBytes(text.length())).asString(StandardCharsets.US_ASCII)
                    .isEqualTo(text);
        }
    }

    /** The next byte, or -1 for an end of stream or a reset (a closed connection either way). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }

    private static void awaitOpenSessions(Rig rig, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rig.server.openSessions() != count) {
            assertThat(System.nanoTime()).as("open sessions still " + rig.server.openSessions()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * A loopback listener that never accepts, with its accept queue filled, so that the kernel drops further
     * SYNs and a connect to it neither succeeds nor fails until its timeout.
     */
    private static final class FullBacklog implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> queued = new ArrayList<>();

        private FullBacklog(ServerSocket server) {
            this.server = server;
        }

        static FullBacklog open() throws IOException {
            FullBacklog full = new FullBacklog(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                try {
                    s.connect(full.server.getLocalSocketAddress(), 200);
                    full.queued.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    return full;
                }
            }
            full.close();
            throw new AssertionError("the accept queue of a listener with backlog 1 took 16 connections");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : queued) {
                s.close();
            }
            server.close();
        }
    }
}
