package dev.proxyline.server.app;

import static dev.proxyline.server.testing.PeerThreads.async;
import static dev.proxyline.server.testing.PeerThreads.awaitNoProgress;
import static dev.proxyline.server.testing.PeerThreads.readOrEof;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.testing.Peers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay through the whole runtime ({@link ProxylineServer#start} from configuration text, real
 * loopback sockets), on every transport this machine has, and on epoll on both stream paths (raw descriptors
 * and channels).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuntimeRelayTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    static List<Rig.StreamPath> transports() {
        return Rig.StreamPath.available();
    }

    /** The extremes, then a few sizes drawn log-uniformly up to 64 MiB from a fixed seed. */
    static Stream<Arguments> transfers() {
        List<long[]> sizes = new ArrayList<>(List.of(new long[] {0, 64 * MIB, 1}, new long[] {64 * MIB, 0, 0},
                new long[] {1, 1, 1}));
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < 3; i++) {
            sizes.add(new long[] {logUniform(random), logUniform(random), i % 2});
        }
        List<Arguments> args = new ArrayList<>();
        for (Rig.StreamPath t : transports()) {
            for (long[] s : sizes) {
                args.add(Arguments.of(t, s[0], s[1], s[2] == 1));
            }
        }
        return args.stream();
    }

    private static long logUniform(SplittableRandom random) {
        return (long) Math.pow(2, random.nextDouble(0, 26)) - 1;
    }

    @ParameterizedTest(name = "{0}: client sends {1}, upstream sends {2}, client closes first: {3}")
    @MethodSource("transfers")
    void bytesArriveUnchangedBothWaysAcrossHalfCloses(Rig.StreamPath transport, long up, long down, boolean clientFirst)
            throws Exception {
        try (ServerSocket upstreamServer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format bytes '$status $bytes_received $bytes_sent $upstream_bytes_sent $upstream_bytes_received';
                        server {
                            listen 127.0.0.1:%d;
                            access_log bytes.log bytes;
                            proxy_half_close on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, upstreamServer.getLocalPort()), transport);
                 Socket client = Rig.client(port)) {
                client.setSoTimeout(60_000);
                CompletableFuture<Long> upstreamGot = async(() -> {
                    upstreamServer.setSoTimeout(10_000);
                    try (Socket u = upstreamServer.accept()) {
                        u.setSoTimeout(60_000);
                        // One direction ends with a FIN before the other starts, so each FIN must
                        // arrive after the last byte before it and leave the opposite direction open.
                        if (clientFirst) {
                            long got = Peers.receiveToEof(u, 1);
                            Peers.send(u, 2, down);
                            u.shutdownOutput();
                            return got;
                        }
                        Peers.send(u, 2, down);
                        u.shutdownOutput();
                        return Peers.receiveToEof(u, 1);
                    }
                });
                long clientGot;
                if (clientFirst) {
                    Peers.send(client, 1, up);
                    client.shutdownOutput();
                    clientGot = Peers.receiveToEof(client, 2);
                } else {
                    clientGot = Peers.receiveToEof(client, 2);
                    Peers.send(client, 1, up);
                    client.shutdownOutput();
                }

                assertThat(clientGot).isEqualTo(down);
                assertThat(upstreamGot.get(60, TimeUnit.SECONDS)).isEqualTo(up);
                assertThat(Rig.awaitLog(dir.resolve("bytes.log")))
                        .isEqualTo("200 %d %d %d %d\n".formatted(up, down, up, down));
            }
        }
    }

    /**
     * Without {@code proxy_half_close} (nginx's default, off) the client's FIN ends the session once its
     * bytes reached the upstream: the upstream sees them and EOF, its late answer is lost, as with nginx.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void byDefaultTheClientsFinEndsTheSessionAsInNginx(Rig.StreamPath transport) throws Exception {
        try (ServerSocket upstreamServer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format bytes '$status $bytes_received $bytes_sent $upstream_bytes_sent $upstream_bytes_received';
                        server {
                            listen 127.0.0.1:%d;
                            access_log bytes.log bytes;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, upstreamServer.getLocalPort()), transport);
                 Socket client = Rig.client(port)) {
                client.setSoTimeout(10_000);
                upstreamServer.setSoTimeout(10_000);
                client.getOutputStream().write("req".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                try (Socket u = upstreamServer.accept()) {
                    u.setSoTimeout(10_000);
                    assertThat(u.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("req");
                    u.getOutputStream().write("answer".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(client.getInputStream().readAllBytes()).isEmpty();
                assertThat(Rig.awaitLog(dir.resolve("bytes.log"))).isEqualTo("200 3 0 3 0\n");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aClientThatDoesNotReadHoldsTheUpstreamBack(Rig.StreamPath transport) throws Exception {
        // More than every buffer on the way can hold, kernel ones included (they autotune to megabytes).
        long total = 128 * MIB;
        try (ServerSocket upstreamServer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, upstreamServer.getLocalPort()), transport);
                 Socket client = Rig.client(port)) {
                AtomicLong written = new AtomicLong();
                CompletableFuture<Long> upstream = async(() -> {
                    upstreamServer.setSoTimeout(10_000);
                    try (Socket u = upstreamServer.accept()) {
                        Peers.send(u, 3, total, written);
                        return total;
                    }
                });
                // The client reads nothing: once the buffers are full the upstream's writes block.
                long plateau = awaitNoProgress(written, Duration.ofSeconds(60));
                assertThat(upstream).as("the upstream wrote everything: the relay kept reading").isNotDone();
                assertThat(plateau).isLessThan(total);

                // Everything held back still arrives, in order, once the client reads.
                assertThat(Peers.receiveToEof(client, 3)).isEqualTo(total);
                assertThat(upstream.get(10, TimeUnit.SECONDS)).isEqualTo(total);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aRefusingServerIsSkippedForTheNextOneAndLoggedOnce(Rig.StreamPath transport) throws Exception {
        int nothing = Backend.closedPort();
        try (Backend backend = Backend.echo(); LogCapture connects = LogCapture.of(GroupConnector.class)) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format up '$upstream_addr $status $bytes_received $bytes_sent';
                        upstream pool {
                            server 127.0.0.2:%d;
                            server 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d;
                            access_log up.log up;
                            proxy_pass pool;
                        }
                    }
                    """.formatted(nothing, backend.port(), port), transport);
                 Socket client = Rig.client(port)) {
                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().readNBytes(4)).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
                client.close();
                assertThat(Rig.awaitLog(dir.resolve("up.log")))
                        .isEqualTo("127.0.0.2:" + nothing + ", 127.0.0.1:" + backend.port() + " 200 4 4\n");
            }
            assertThat(connects.lines).singleElement().asString()
                    .startsWith("connect() failed (")
                    .contains("Connection refused")
                    .contains(") while connecting to upstream 127.0.0.2:" + nothing + ", client " + Rig.CLIENT_IP + ":");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void withEveryServerDownTheClientIsClosedWith502AndALogLineSaysWhy(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        int first = Backend.closedPort();
        int second = Backend.closedPort();
        try (LogCapture sessions = LogCapture.of(StreamService.class);
             Rig rig = Rig.start(dir, """
                stream {
                    log_format up '$upstream_addr $status';
                    upstream pool {
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        access_log down.log up;
                        proxy_pass pool;
                    }
                }
                """.formatted(first, second, port), transport);
             Socket client = Rig.client(port)) {
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            assertThat(Rig.awaitLog(dir.resolve("down.log"))).endsWith(" 502\n");
            assertThat(sessions.lines).anySatisfy(line -> assertThat(line)
                    .contains("closed with $status 502", "connect() failed", "127.0.0.1:" + second));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aReuseportListenerServesAndItsPortIsFreeAfterStop(Rig.StreamPath transport) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    worker_processes 2;
                    stream {
                        server {
                            listen 127.0.0.1:%d reuseport;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), transport)) {
                assertThat(rig.server.listenAddresses()).hasSize(1);
                for (int i = 0; i < 4; i++) {
                    try (Socket client = Rig.client(port)) {
                        client.getOutputStream().write('r');
                        assertThat(client.getInputStream().read()).isEqualTo('r');
                    }
                }
            }
            // Every socket bound for the listen is closed by the stop: a plain bind gets the port.
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        }
    }
}
