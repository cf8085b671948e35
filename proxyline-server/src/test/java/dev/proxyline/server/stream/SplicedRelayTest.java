package dev.proxyline.server.stream;

import static dev.proxyline.server.testing.PeerThreads.async;
import static dev.proxyline.server.testing.PeerThreads.awaitNoProgress;
import static dev.proxyline.server.testing.PeerThreads.readOrEof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.testing.Peers;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay after it moved on to zero-copy splice (proxy_splice on, the epoll transport, a read that
 * filled the buffer): the same guarantees as the buffered relay, and {@link SessionOutcome#spliced()}
 * says it really ran spliced.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplicedRelayTest {

    private static final long MIB = 1 << 20;
    private static final RelayOptions SPLICE = RelayOptions.defaults().withHalfClose(true);

    @BeforeEach
    void needsEpoll() {
        assumeTrue(Transport.epollAvailable(), "splice needs the epoll transport");
    }

    static Stream<Arguments> transfers() {
        return Stream.of(
                Arguments.of(64 * MIB, MIB + 7, true),
                Arguments.of(3L, 64 * MIB, false),
                Arguments.of(16 * MIB + 1, 16 * MIB - 1, true),
                Arguments.of(MIB, 0L, false),
                Arguments.of(0L, MIB, true));
    }

    @ParameterizedTest(name = "client sends {0}, upstream sends {1}, client shuts first: {2}")
    @MethodSource("transfers")
    void bytesArriveUnchangedBothWaysAcrossHalfCloses(long up, long down, boolean clientFirst) throws Exception {
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    // One direction ends with a FIN before the other starts: each FIN must arrive after
                    // the last byte before it and leave the opposite direction open.
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
            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isEqualTo(up);
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).as("switched to splice").isTrue();
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.error()).isEmpty();
            assertThat(o.bytesReceived()).isEqualTo(up);
            assertThat(o.upstreamBytesSent()).isEqualTo(up);
            assertThat(o.upstreamBytesReceived()).isEqualTo(down);
            assertThat(o.bytesSent()).isEqualTo(down);
        }
    }

    @Test
    void bothDirectionsAtFullSpeedAtOnce() throws Exception {
        long size = 32 * MIB;
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    CompletableFuture<Void> sending = async(() -> {
                        Peers.send(u, 8, size);
                        return null;
                    });
                    Peers.receiveExactly(u, 7, size);
                    sending.get(50, TimeUnit.SECONDS);
                    u.shutdownOutput();
                    return Peers.receiveToEof(u, 99);
                }
            });
            CompletableFuture<Void> clientSending = async(() -> {
                Peers.send(client, 7, size);
                return null;
            });
            Peers.receiveExactly(client, 8, size);
            clientSending.get(50, TimeUnit.SECONDS);
            client.shutdownOutput();
            assertThat(Peers.receiveToEof(client, 99)).isZero();
            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isZero();
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(size);
            assertThat(o.bytesSent()).isEqualTo(size);
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsTheUpstreamBackAndLaterGetsEverything() throws Exception {
        long total = 64 * MIB;
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            client.setReceiveBufferSize(64 * 1024);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    Peers.send(u, 3, total, written);
                    u.shutdownOutput();
                    assertThat(Peers.receiveToEof(u, 4)).isZero();
                    return null;
                }
            });
            long plateau = awaitNoProgress(written, Duration.ofSeconds(30));
            assertThat(upstreamSide).as("upstream is held back by TCP flow control").isNotDone();
            assertThat(plateau).isLessThan(total);
            Channel accepted = h.acceptedChannel();
            long queued = accepted.eventLoop()
                    .submit(() -> accepted.unsafe().outboundBuffer() == null
                            ? 0L : accepted.unsafe().outboundBuffer().totalPendingWriteBytes())
                    .get(5, TimeUnit.SECONDS);
            assertThat(queued).as("bytes queued in Netty for the slow client").isZero();

            assertThat(Peers.receiveToEof(client, 3)).isEqualTo(total);
            client.shutdownOutput();
            upstreamSide.get(50, TimeUnit.SECONDS);
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.bytesSent()).isEqualTo(total);
        }
    }

    @Test
    void proxyTimeoutStillEndsAnIdleSplicedSession() throws Exception {
        RelayOptions options = SPLICE.withIdleTimeout(Duration.ofMillis(500));
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), options, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            // Enough to switch, then nothing: splicing must keep the activity clock honest both ways.
            CompletableFuture<Void> reading = async(() -> {
                Peers.receiveExactly(upstream, 5, MIB);
                return null;
            });
            Peers.send(client, 5, MIB);
            reading.get(20, TimeUnit.SECONDS);
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(o.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(o.bytesReceived()).isEqualTo(MIB);
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void anUpstreamResetWhileSplicedClosesTheClient() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            try (Socket u = h.acceptUpstream()) {
                CompletableFuture<Void> reading = async(() -> {
                    Peers.receiveExactly(u, 6, MIB);
                    return null;
                });
                Peers.send(client, 6, MIB);
                reading.get(20, TimeUnit.SECONDS);
                u.setSoLinger(true, 0); // close with RST
            }
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.end()).isIn(SessionEnd.COMPLETE, SessionEnd.IO_ERROR);
        }
    }

    @Test
    void anAnswerAndAResetInOneWakeUpReachTheClientAnswerFirst() throws Exception {
        byte[] answer = "HTTP/1.1 400 Bad request".getBytes(StandardCharsets.US_ASCII);
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            CompletableFuture<Void> reading = async(() -> {
                Peers.receiveExactly(upstream, 6, MIB);
                return null;
            });
            Peers.send(client, 6, MIB);
            reading.get(20, TimeUnit.SECONDS);
            // Spliced by now. Written and reset while the relay's loop is held, so the spliced relay wakes to the
            // answer and the reset together, as the raw relay does in RawRelayTest: the answer must be relayed first.
            h.acceptedChannel().eventLoop().submit(() -> {
                upstream.getOutputStream().write(answer);
                upstream.setSoLinger(true, 0);
                upstream.close();
                return null;
            }).get(10, TimeUnit.SECONDS);

            assertThat(client.getInputStream().readNBytes(answer.length)).isEqualTo(answer);
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.end()).isEqualTo(SessionEnd.IO_ERROR);
            assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).startsWith("upstream side: "));
            assertThat(o.bytesSent()).isEqualTo(answer.length);
        }
    }

    @Test
    void aFinThatArrivesDuringTheHandOverIsPassedOnAfterTheLastByte() throws Exception {
        long size = 8 * MIB;
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    // Reads late: the hand-over waits for the upstream's writes while the client's FIN
                    // is already queued behind its bytes. Spliced or buffered, the stream must be whole.
                    Thread.sleep(200);
                    long got = Peers.receiveToEof(u, 1);
                    u.shutdownOutput();
                    return got;
                }
            });
            Peers.send(client, 1, size);
            client.shutdownOutput();
            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isEqualTo(size);
            assertThat(Peers.receiveToEof(client, 2)).isZero();
            SessionOutcome o = h.outcome();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(size);
            assertThat(o.upstreamBytesSent()).isEqualTo(size);
        }
    }

    @Test
    void closingASplicedChannelFromOutsideClosesBothAndEndsTheSession() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            CompletableFuture<Void> reading = async(() -> {
                Peers.receiveExactly(upstream, 9, MIB);
                return null;
            });
            Peers.send(client, 9, MIB);
            reading.get(20, TimeUnit.SECONDS);
            // As the drain deadline does: LiveSessions closes the client channel.
            h.acceptedChannel().close().sync();
            SessionOutcome o = h.outcome();
            assertThat(o.spliced()).isTrue();
            assertThat(o.bytesReceived()).isEqualTo(MIB);
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void proxySpliceOffStaysBuffered() throws Exception {
        assertThat(relayOneMebibyte(Transport.epoll(), SPLICE.withSplice(false), ch -> {}).spliced()).isFalse();
    }

    @Test
    void nioNeverSplices() throws Exception {
        assertThat(relayOneMebibyte(Transport.nio(), SPLICE, ch -> {}).spliced()).isFalse();
    }

    @Test
    void aHandlerThatMustSeeTheBytesKeepsTheRelayBuffered() throws Exception {
        // Stands in for TLS or any stage left in the pipeline: splice would take the bytes past it.
        SessionOutcome o = relayOneMebibyte(Transport.epoll(), SPLICE,
                ch -> ch.pipeline().addFirst("observer", new ChannelDuplexHandler()));
        assertThat(o.spliced()).isFalse();
    }

    @Test
    void shortExchangesStayBuffered() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Transport.epoll(), SPLICE, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    long got = Peers.receiveToEof(u, 1);
                    Peers.send(u, 2, 100);
                    u.shutdownOutput();
                    return got;
                }
            });
            Peers.send(client, 1, 1000);
            client.shutdownOutput();
            assertThat(Peers.receiveToEof(client, 2)).isEqualTo(100);
            assertThat(upstreamSide.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(h.outcome().spliced()).isFalse();
        }
    }

    private static SessionOutcome relayOneMebibyte(Transport transport, RelayOptions options,
                                                   java.util.function.Consumer<Channel> afterHandOver) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, options, UpstreamPreface.NONE, null, afterHandOver);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    long got = Peers.receiveToEof(u, 1);
                    Peers.send(u, 2, MIB);
                    u.shutdownOutput();
                    return got;
                }
            });
            Peers.send(client, 1, MIB);
            client.shutdownOutput();
            assertThat(Peers.receiveToEof(client, 2)).isEqualTo(MIB);
            assertThat(upstreamSide.get(20, TimeUnit.SECONDS)).isEqualTo(MIB);
            SessionOutcome o = h.outcome();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(MIB);
            assertThat(o.bytesSent()).isEqualTo(MIB);
            return o;
        }
    }
}
