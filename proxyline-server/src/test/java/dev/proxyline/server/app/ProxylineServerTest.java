package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Tlv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code proxyline run}'s stream part, end to end on loopback: configuration text in, sockets out. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxylineServerTest {
    private static final InetSocketAddress CLAIMED_CLIENT = new InetSocketAddress("203.0.113.7", 51234);

    @TempDir
    Path dir;

    /** The stream tests run on both ways the best transport runs sessions. */
    static List<Rig.StreamPath> paths() {
        return Rig.StreamPath.onBestTransport();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aPlainRelayEchoesEveryByteUnchanged(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    worker_processes 2;
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            # The echo is read after the FIN: half-closes must be passed on.
                            proxy_half_close on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
                 Socket client = Rig.client(port)) {
                byte[] sent = new byte[1 << 20];
                new Random(7).nextBytes(sent);
                CompletableFuture<byte[]> echoed = Rig.readAllAsync(client);
                client.getOutputStream().write(sent);
                client.shutdownOutput();

                assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(sent);
                assertThat(rig.server.listenAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    /** Every stream path with each PROXY version. */
    static Stream<Arguments> pathsAndVersions() {
        return paths().stream().flatMap(path -> Stream.of(ProtocolVersion.values()).map(v -> Arguments.of(path, v)));
    }

    @ParameterizedTest
    @MethodSource("pathsAndVersions")
    void aTrustedBalancersClientIsForwardedAndAnUntrustedOneIsNot(Rig.StreamPath path, ProtocolVersion version)
            throws Exception {
        try (Backend backend = Backend.expectingHeader()) {
            int trusting = Rig.freePort();
            int distrusting = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.7;
                            proxy_protocol on;
                            proxy_pass 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.8;
                            proxy_protocol on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(trusting, backend.port(), distrusting, backend.port()), path)) {

                assertThat(relayWithHeader(version, trusting, backend).sourceAddress()).contains(CLAIMED_CLIENT);
                ProxyHeader untrusted = relayWithHeader(version, distrusting, backend);
                assertThat(untrusted.sourceAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo(Rig.CLIENT_IP);
            }
        }
    }

    /** Sends a header claiming {@link #CLAIMED_CLIENT} and a payload; returns the header the backend got. */
    private static ProxyHeader relayWithHeader(ProtocolVersion version, int port, Backend backend) throws Exception {
        try (Socket client = Rig.client(port)) {
            byte[] header = ProxyHeaderEncoder.encode(ProxyHeader.tcp(version, CLAIMED_CLIENT,
                    new InetSocketAddress("127.0.0.1", port)));
            OutputStream out = client.getOutputStream();
            out.write(header);
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(client.getInputStream().readNBytes(4)).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
            return Backend.header(backend.nextHeader());
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void hashOnRemoteAddrUsesTheClientFromATrustedHeader(Rig.StreamPath path) throws Exception {
        try (Backend one = Backend.echo(); Backend two = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        upstream pool {
                            hash $remote_addr;
                            server 127.0.0.1:%d;
                            server 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            set_real_ip_from 127.0.0.0/8;
                            proxy_pass pool;
                        }
                    }
                    """.formatted(one.port(), two.port(), port), path)) {
                // Every connection comes from 127.0.0.7; only the claimed clients differ.
                for (int i = 1; i <= 8; i++) {
                    echoThroughHeader(port, new InetSocketAddress("203.0.113." + i, 40000));
                }
                int toOne = one.peers.size();
                assertThat(toOne).as("sessions on the first server").isBetween(1, 7);
                assertThat(two.peers).hasSize(8 - toOne);

                for (int i = 0; i < 3; i++) {
                    echoThroughHeader(port, new InetSocketAddress("203.0.113.1", 40000 + i));
                }
                assertThat(List.of(one.peers.size() - toOne, two.peers.size() - (8 - toOne)))
                        .as("the same client always reaches the same server").containsAnyOf(0).contains(3);
            }
        }
    }

    private static void echoThroughHeader(int port, InetSocketAddress claimed) throws IOException {
        try (Socket client = Rig.client(port)) {
            OutputStream out = client.getOutputStream();
            out.write(ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, claimed,
                    new InetSocketAddress("127.0.0.1", port))));
            out.write('h');
            assertThat(client.getInputStream().read()).isEqualTo('h');
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void version2WithTlvsAndCrc32cDecodesAndVerifiesAtTheBackend(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.expectingHeader()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_protocol on;
                            proxy_protocol_version 2;
                            proxy_protocol_tlv 0xE0 "cluster=eu-1";
                            proxy_protocol_tlv 0xE1 $remote_addr;
                            proxy_protocol_crc32c on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
                 Socket client = Rig.client(port)) {
                client.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().read()).isEqualTo('x');

                ProxyHeader header = Backend.header(backend.nextHeader());
                assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
                assertThat(header.sourceAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo(Rig.CLIENT_IP);
                // The decoder refuses a header whose checksum does not match, so its presence means it verified.
                assertThat(header.tlv(Tlv.Crc32c.class)).isPresent();
                assertThat(text(header.tlv(0xE0).orElseThrow())).isEqualTo("cluster=eu-1");
                assertThat(text(header.tlv(0xE1).orElseThrow())).isEqualTo(Rig.CLIENT_IP);
            }
        }
    }

    private static String text(Tlv tlv) {
        return new String(tlv.value().toArray(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void streamMapsAreVariablesOfTheSession(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        map $remote_addr $client_kind {
                            ~^127\\.0\\.0\\.(?<last>\\d+)$  loopback-$last;
                            default                      remote;
                        }
                        log_format kinds '$remote_addr $client_kind';
                        server {
                            listen 127.0.0.1:%d;
                            access_log kinds.log kinds;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path)) {
                try (Socket client = Rig.client(port)) {
                    client.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII).isEqualTo("hi");
                }
                assertThat(Rig.awaitLog(dir.resolve("kinds.log"))).isEqualTo(Rig.CLIENT_IP + " loopback-7\n");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aRefusedServerIsPassedOverForTheNextOne(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            int refused = Backend.closedPort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format up '$remote_addr $upstream_addr $status $upstream_bytes_sent $upstream_bytes_received';
                        upstream pool {
                            server 127.0.0.1:%d;
                            server 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d;
                            proxy_connect_timeout 2s;
                            access_log up.log up;
                            proxy_pass pool;
                        }
                    }
                    """.formatted(refused, backend.port(), port), path)) {
                try (Socket client = Rig.client(port)) {
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().readNBytes(5)).asString(StandardCharsets.US_ASCII)
                            .isEqualTo("hello");
                }
                assertThat(Rig.awaitLog(dir.resolve("up.log"))).isEqualTo(Rig.CLIENT_IP + " 127.0.0.1:" + refused
                        + ", 127.0.0.1:" + backend.port() + " 200 0, 5 0, 5\n");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void withOneTryARefusedServerEndsTheSessionAndProxyBindSetsTheSource(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            int bound = Rig.freePort();
            int refused = Backend.closedPort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        upstream pool {
                            server 127.0.0.1:%d;
                            server 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d;
                            proxy_next_upstream_tries 1;
                            proxy_pass pool;
                        }
                        server {
                            listen 127.0.0.1:%d;
                            proxy_bind 127.0.0.9;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(refused, backend.port(), port, bound, backend.port()), path)) {
                try (Socket client = Rig.client(port)) {
                    assertThat(readToEnd(client.getInputStream())).isEmpty();
                }
                try (Socket client = Rig.client(bound)) {
                    client.getOutputStream().write("b".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().read()).isEqualTo('b');
                }
                assertThat(backend.peers.poll(5, TimeUnit.SECONDS).getAddress().getHostAddress()).isEqualTo("127.0.0.9");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aSessionIdleForProxyTimeoutIsClosed(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_timeout 300ms;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
                 Socket client = Rig.client(port)) {
                client.getOutputStream().write("z".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().read()).isEqualTo('z');
                long start = System.nanoTime();

                assertThat(readToEnd(client.getInputStream())).isEmpty();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 3000L);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aHeaderThatDoesNotArriveInTimeIsCutAtTheDeadline(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format refused '$remote_addr $status';
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            proxy_protocol_timeout 300ms;
                            access_log refused.log refused;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
                 Socket client = Rig.client(port)) {
                long start = System.nanoTime();
                client.getOutputStream().write("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));

                assertThat(readToEnd(client.getInputStream())).isEmpty();
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(elapsedMillis).isBetween(250L, 3000L);
                assertThat(Rig.awaitLog(dir.resolve("refused.log"))).isEqualTo(Rig.CLIENT_IP + " 400\n");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void stoppingLetsAnOpenSessionFinishAndRefusesNewOnes(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            # The echo is read after the FIN: half-closes must be passed on.
                            proxy_half_close on;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
            try (Socket client = Rig.client(port)) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                out.write("one".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readNBytes(3)).asString(StandardCharsets.US_ASCII).isEqualTo("one");

                CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(
                        () -> rig.server.stop(Duration.ofSeconds(10)));
                awaitRefused(port);
                assertThat(stopped).isNotDone();

                out.write("two".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertThat(readToEnd(in)).asString(StandardCharsets.US_ASCII).isEqualTo("two");
                assertThat(stopped.get(5, TimeUnit.SECONDS)).as("sessions cut at the deadline").isZero();
                assertThat(rig.server.terminated()).isDone();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aSessionStillOpenAtTheDrainDeadlineIsClosed(Rig.StreamPath path) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
            try (Socket client = Rig.client(port)) {
                client.getOutputStream().write("idle".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().readNBytes(4)).hasSize(4);

                assertThat(rig.server.stop(Duration.ofMillis(300))).isEqualTo(1);
                assertThat(readToEnd(client.getInputStream())).isEmpty();
            }
        }
    }

    @Test
    void workerCpuAffinityBindsEachWorkerBeforeServingAndSaysWhere() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "sched_setaffinity is Linux-only");
        String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow();
        String firstCpu = allowed.substring(allowed.indexOf(':') + 1).trim().split("[-,]")[0];
        try (Backend backend = Backend.echo(); LogCapture log = LogCapture.of(ProxylineServer.class)) {
            int port = Rig.freePort();
            String masks = "1" + "0".repeat(Integer.parseInt(firstCpu));
            try (Rig rig = Rig.start(dir, """
                    worker_processes 2;
                    worker_cpu_affinity %s;
                    stream { server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:%d; } }
                    """.formatted(masks, port, backend.port()));
                 Socket client = Rig.client(port)) {
                assertThat(log.lines).contains(
                        "worker_cpu_affinity: worker 0 on CPU " + firstCpu + ", worker 1 on CPU " + firstCpu);
                client.getOutputStream().write("bound".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().readNBytes(5)).asString(StandardCharsets.US_ASCII).isEqualTo("bound");
            }
        }
    }

    @Test
    void drainingClosesAnIdleHttp11KeepAliveConnectionInsteadOfWaitingForIt() throws Exception {
        int port = Rig.freePort();
        Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(port));
        try (Socket client = Rig.client(port)) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder response = new StringBuilder();
            InputStream in = client.getInputStream();
            while (!response.toString().endsWith("\r\n\r\nok\n")) {
                int b = in.read();
                assertThat(b).as("response so far: " + response).isNotNegative();
                response.append((char) b);
            }

            // The client keeps the connection for a next request; the drain must end it, not wait it out.
            assertThat(rig.server.stop(Duration.ofSeconds(5))).as("sessions cut at the drain deadline").isZero();
            assertThat(readToEnd(in)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void anIpv6ListenerRelaysToAnIpv4Upstream(Rig.StreamPath path) throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen [::1]:%d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path);
                 Socket client = new Socket("::1", port)) {
                client.setSoTimeout(5000);
                client.getOutputStream().write("six".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().readNBytes(3)).asString(StandardCharsets.US_ASCII).isEqualTo("six");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void anIpv4ListenerRelaysToAnIpv6Upstream(Rig.StreamPath path) throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            upstream.setSoTimeout(5000);
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass [::1]:%d;
                        }
                    }
                    """.formatted(port, upstream.getLocalPort()), path);
                 Socket client = Rig.client(port)) {
                client.getOutputStream().write("six".getBytes(StandardCharsets.US_ASCII));
                try (Socket accepted = upstream.accept()) {
                    // Upstream sockets are made in the upstream's family: an IPv6 one for this upstream.
                    assertThat(accepted.getInetAddress()).isEqualTo(InetAddress.getByName("::1"));
                    assertThat(accepted.getInputStream().readNBytes(3)).asString(StandardCharsets.US_ASCII)
                            .isEqualTo("six");
                    accepted.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                }
                client.setSoTimeout(5000);
                assertThat(client.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII).isEqualTo("ok");
            }
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void anAddressInUseIsAStartupErrorNamingTheListen(Rig.StreamPath path) throws Exception {
        try (Backend busy = Backend.echo()) {
            Path file = dir.resolve("busy.conf");
            Files.writeString(file, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:9;
                        }
                    }
                    """.formatted(busy.port()));
            var config = ((dev.proxyline.config.LoadResult.Loaded) dev.proxyline.config.ConfigLoader.load(file)).config();

            assertThatThrownBy(() -> ProxylineServer.start(config, path.options()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining(file + ":3:")
                    .hasMessageContaining("127.0.0.1:" + busy.port());
        }
    }

    /** Waits until connecting to {@code port} is refused (the listener is closed). */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (SocketException e) {
                return;
            }
        }
        throw new AssertionError("the listener on " + port + " still accepts after 5 s");
    }

    /** Reads to EOF; a reset counts as the end too (the server closed the connection either way). */
    private static byte[] readToEnd(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketException e) {
            return new byte[0];
        }
    }
}
