package dev.proxyline.server.stream;

import static dev.proxyline.server.testing.PeerThreads.async;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.testing.Peers;
import dev.proxyline.server.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proxy_half_close off}, nginx's default: the first FIN ends the session once everything read
 * before it was written, and the proxy closes both connections instead of passing the FIN on. What the
 * other side sends after that is lost, as with nginx.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfCloseOffTest {

    private static final long MIB = 1 << 20;
    private static final RelayOptions BUFFERED = RelayOptions.defaults().withSplice(false);
    private static final byte[] LATE_ANSWER = "answer".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> transportsAndSizes() {
        List<Arguments> args = new ArrayList<>();
        for (Transport t : StreamProxyTest.transports()) {
            args.add(Arguments.of(t, 3L));
            args.add(Arguments.of(t, 8 * MIB));
        }
        return args.stream();
    }

    @Test
    void isTheDefault() {
        assertThat(RelayOptions.defaults().halfClose()).isFalse();
    }

    @ParameterizedTest(name = "{0}: client sends {1} bytes and FIN")
    @MethodSource("transportsAndSizes")
    void clientFinClosesTheSessionOnceItsBytesReachedTheUpstream(Transport transport, long size) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            CompletableFuture<Long> upstreamGot = async(() -> Peers.receiveToEof(upstream, 1));
            Peers.send(client, 1, size);
            client.shutdownOutput();

            assertThat(upstreamGot.get(50, TimeUnit.SECONDS)).isEqualTo(size);
            // The upstream has closed nothing: the proxy ended the session on the client's FIN alone.
            SessionOutcome o = h.outcome();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.error()).isEmpty();
            assertThat(o.bytesReceived()).isEqualTo(size);
            assertThat(o.upstreamBytesSent()).isEqualTo(size);
            assertThat(o.bytesSent()).isZero();
            // The answer comes too late: the upstream's socket was closed, not shut for writing.
            assertThat(writesFail(upstream)).as("upstream's writes to a closed socket fail").isTrue();
            assertThat(readAllOrReset(client)).as("client gets no answer, only the close").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}: upstream sends {1} bytes and FIN")
    @MethodSource("transportsAndSizes")
    void upstreamFinClosesTheSessionOnceItsBytesReachedTheClient(Transport transport, long size) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            CompletableFuture<Void> upstreamSends = async(() -> {
                Peers.send(upstream, 2, size);
                upstream.shutdownOutput();
                return null;
            });
            assertThat(Peers.receiveToEof(client, 2)).isEqualTo(size);
            upstreamSends.get(50, TimeUnit.SECONDS);

            SessionOutcome o = h.outcome();
            assertThat(o.error()).isEmpty();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesSent()).isEqualTo(size);
            assertThat(o.upstreamBytesReceived()).isEqualTo(size);
            assertThat(writesFail(client)).as("client's writes to a closed socket fail").isTrue();
            assertThat(readAllOrReset(upstream)).as("upstream sees the close").isEmpty();
        }
    }

    /**
     * The client is read while the upstream connects: a FIN that arrives then must still let the bytes
     * read before it (and the preface) reach the upstream before the session closes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proxyline.server.stream.StreamProxyTest#transports")
    void aClientFinBeforeTheUpstreamConnectedStillDeliversItsBytes(Transport transport) throws Exception {
        UpstreamPreface preface = (c, u) -> Unpooled.copiedBuffer("PREFACE|", StandardCharsets.US_ASCII);
        CompletableFuture<Void> connectAllowed = new CompletableFuture<>();
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, preface, null, ch -> {}, ProxyHarness.connectingOnceAllowed(connectAllowed));
                Socket client = h.connectClient()) {
            client.getOutputStream().write("req".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            Channel accepted = h.acceptedChannel();
            // Closed at its FIN, without a shutdown(SHUT_RD), though nothing could be written yet.
            assertThat(accepted.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            connectAllowed.complete(null);
            try (Socket upstream = h.acceptUpstream()) {
                assertThat(new String(upstream.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("PREFACE|req");
                SessionOutcome o = h.outcome();
                assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
                assertThat(o.upstreamBytesSent()).isEqualTo(3);
                assertThat(writesFail(upstream)).isTrue();
            }
            assertThat(readAllOrReset(client)).isEmpty();
        }
    }

    /** The bytes kept for the upstream are released when it cannot be reached. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proxyline.server.stream.StreamProxyTest#transports")
    void aClientFinBeforeAFailedConnectEndsWith502(Transport transport) throws Exception {
        InetSocketAddress closedPort = ProxyHarness.closedPort();
        CompletableFuture<Void> connectAllowed = new CompletableFuture<>();
        CompletableFuture<RelayEndpoint> clientEnd = new CompletableFuture<>();
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE, closedPort,
                        ch -> clientEnd.complete((RelayEndpoint) ch.pipeline().get(RelaySession.HANDLER_NAME)),
                        ProxyHarness.connectingOnceAllowed(connectAllowed));
                Socket client = h.connectClient()) {
            client.getOutputStream().write("req".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(h.acceptedChannel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            connectAllowed.complete(null);
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.BAD_GATEWAY);
            assertThat(o.end()).isEqualTo(SessionEnd.CONNECT_FAILED);
            assertThat(o.bytesReceived()).isEqualTo(3);
            assertThat(o.upstreamBytesSent()).isZero();
            assertThat(clientEnd.get(5, TimeUnit.SECONDS).hasEarlyBytes()).as("early bytes released").isFalse();
        }
    }

    @ParameterizedTest(name = "client first: {0}")
    @ValueSource(booleans = {true, false})
    void aSplicedSessionClosesAfterTheLastByteOfTheFirstFin(boolean clientFirst) throws Exception {
        assumeTrue(Transport.epollAvailable(), "splice needs the epoll transport");
        long size = 16 * MIB + 5;
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), RelayOptions.defaults(), UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            Socket sender = clientFirst ? client : upstream;
            Socket receiver = clientFirst ? upstream : client;
            CompletableFuture<Void> sends = async(() -> {
                Peers.send(sender, 3, size);
                sender.shutdownOutput();
                return null;
            });
            assertThat(Peers.receiveToEof(receiver, 3)).isEqualTo(size);
            sends.get(50, TimeUnit.SECONDS);

            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.error()).isEmpty();
            assertThat(clientFirst ? o.upstreamBytesSent() : o.bytesSent()).isEqualTo(size);
            assertThat(writesFail(receiver)).as("the receiving side's socket was closed").isTrue();
            assertThat(readAllOrReset(sender)).isEmpty();
        }
    }

    /**
     * Writes until the kernel reports the peer's socket closed: the first write after a close draws a
     * reset and a later one fails. A socket only shut for writing would take them all.
     */
    private static boolean writesFail(Socket s) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                s.getOutputStream().write(LATE_ANSWER);
            } catch (IOException closed) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Everything until EOF; a reset counts as the end as well (data the proxy never read triggers one). */
    private static byte[] readAllOrReset(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }
}
