package dev.proxyline.server.stream;

import static dev.proxyline.server.testing.PeerThreads.async;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.testing.Peers;
import dev.proxyline.server.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamProxyTest {

    /** These tests are about the buffered relay; SplicedRelayTest covers the same ground spliced. */
    static final RelayOptions BUFFERED = RelayOptions.defaults().withSplice(false).withHalfClose(true);

    static List<Transport> transports() {
        List<Transport> all = new ArrayList<>();
        all.add(Transport.nio());
        if (Transport.epollAvailable()) {
            all.add(Transport.epoll());
        }
        return all;
    }

    static Stream<Arguments> transportsAndSizes() {
        long[][] sizes = {{0, 0}, {1, 1}, {64 * 1024, 1}, {0, 64 * 1024}, {16L << 20, 3 * 1024 + 7}, {64L << 20, 64L << 20}};
        List<Arguments> args = new ArrayList<>();
        for (Transport t : transports()) {
            for (long[] s : sizes) {
                args.add(Arguments.of(t, s[0], s[1]));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: client sends {1}, shuts output, still receives {2}")
    @MethodSource("transportsAndSizes")
    void relaysByteExactWhenClientShutsOutputFirst(Transport transport, long up, long down) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    long got = Peers.receiveToEof(u, 1);
                    // Answer only after the client's FIN: the classic request/half-close/response exchange.
                    Peers.send(u, 2, down);
                    u.shutdownOutput();
                    return got;
                }
            });
            CompletableFuture<Long> clientReceive = async(() -> Peers.receiveToEof(client, 2));
            Peers.send(client, 1, up);
            client.shutdownOutput();

            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isEqualTo(up);
            assertThat(clientReceive.get(50, TimeUnit.SECONDS)).isEqualTo(down);
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(up);
            assertThat(o.upstreamBytesSent()).isEqualTo(up);
            assertThat(o.upstreamBytesReceived()).isEqualTo(down);
            assertThat(o.bytesSent()).isEqualTo(down);
            assertThat(((InetSocketAddress) o.client()).getAddress()).isEqualTo(ProxyHarness.CLIENT_ADDRESS);
            assertThat(o.upstream()).contains(h.upstreamServer.getLocalSocketAddress());
            assertThat(o.connectTime()).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}: upstream sends {2} and shuts first, client sends {1} after")
    @MethodSource("transportsAndSizes")
    void relaysByteExactWhenUpstreamShutsOutputFirst(Transport transport, long up, long down) throws Exception {
        // 64 MiB is covered by the full-duplex test; keeps the run short.
        assumeFalse(up > (16L << 20), "64 MiB is covered by relaysBothDirectionsAtOnce");
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    Peers.send(u, 2, down);
                    u.shutdownOutput();
                    return Peers.receiveToEof(u, 1);
                }
            });
            // The client sees the upstream's FIN first and only then sends its own data.
            assertThat(Peers.receiveToEof(client, 2)).isEqualTo(down);
            Peers.send(client, 1, up);
            client.shutdownOutput();

            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isEqualTo(up);
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(up);
            assertThat(o.bytesSent()).isEqualTo(down);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void relaysBothDirectionsAtOnce(Transport transport) throws Exception {
        long size = 64L << 20;
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            // Each peer sends FIN only after it has sent and received everything, so both directions
            // run full speed with backpressure at the same time and no byte follows a FIN.
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
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesReceived()).isEqualTo(size);
            assertThat(o.bytesSent()).isEqualTo(size);
            assertThat(o.upstreamBytesSent()).isEqualTo(size);
            assertThat(o.upstreamBytesReceived()).isEqualTo(size);
            assertThat(o.error()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void slowReaderPausesTheUpstreamInsteadOfBuffering(Transport transport) throws Exception {
        RelayOptions options = BUFFERED;
        long total = 32L << 20;
        try (ProxyHarness h = new ProxyHarness(transport, options, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            client.setReceiveBufferSize(64 * 1024);
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    Peers.send(u, 3, total);
                    u.shutdownOutput();
                    return Peers.receiveToEof(u, 4);
                }
            });
            Channel accepted = h.acceptedChannel();
            // proxy_buffer_size is the most one read takes from a socket.
            assertThat(accepted.config().getRecvByteBufAllocator().newHandle().guess()).isEqualTo(options.bufferSize());
            // Wait (bounded) until the client-facing socket is backed up: the client reads nothing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accepted.isWritable() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(accepted.isWritable()).as("client channel became unwritable").isFalse();
            long bound = options.waterMark().high() + options.bufferSize();
            Channel upstream = upstreamOf(accepted);
            for (int i = 0; i < 20; i++) {
                long pending = accepted.eventLoop()
                        .submit(() -> accepted.unsafe().outboundBuffer() == null
                                ? 0L
                                : accepted.unsafe().outboundBuffer().totalPendingWriteBytes())
                        .get(5, TimeUnit.SECONDS);
                assertThat(pending).as("bytes queued for the slow client").isLessThanOrEqualTo(bound);
                // Judged on the event loop, in one step: the client's socket may take a little more now and
                // then (send-buffer autotuning), which briefly makes the channel writable and reading resume.
                boolean pausedWhileBackedUp = accepted.eventLoop()
                        .submit(() -> accepted.isWritable() || !upstream.config().isAutoRead())
                        .get(5, TimeUnit.SECONDS);
                assertThat(pausedWhileBackedUp).as("upstream reading paused while the client is backed up").isTrue();
                Thread.sleep(20);
            }
            assertThat(upstreamSide).as("upstream is held back by TCP flow control").isNotDone();

            // Now read everything: nothing was lost or reordered while paused.
            CompletableFuture<Long> received = async(() -> Peers.receiveToEof(client, 3));
            assertThat(received.get(50, TimeUnit.SECONDS)).isEqualTo(total);
            client.shutdownOutput();
            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isZero();
            assertThat(h.outcome().bytesSent()).isEqualTo(total);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void halfClosedClientStillGetsALargeResponseItReadsLate(Transport transport) throws Exception {
        long total = 8L << 20;
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            client.shutdownOutput(); // FIN before anything else
            CompletableFuture<Long> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    long got = Peers.receiveToEof(u, 5);
                    Peers.send(u, 6, total);
                    u.shutdownOutput();
                    return got;
                }
            });
            Channel accepted = h.acceptedChannel();
            // The client reads nothing until the proxy's writes to it are blocked, so the relay has to
            // wait for the half-closed socket to become writable again.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accepted.isWritable() && accepted.isActive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Peers.receiveToEof(client, 6)).isEqualTo(total);
            assertThat(upstreamSide.get(50, TimeUnit.SECONDS)).isZero();
            SessionOutcome o = h.outcome();
            assertThat(o.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(o.bytesSent()).isEqualTo(total);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void refusedUpstreamEndsWith502AndClosesTheClient(Transport transport) throws Exception {
        InetSocketAddress closedPort = ProxyHarness.closedPort();
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE, closedPort, ch -> {});
                Socket client = h.connectClient()) {
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.BAD_GATEWAY);
            assertThat(o.status().code()).isEqualTo(502);
            assertThat(o.end()).isEqualTo(SessionEnd.CONNECT_FAILED);
            assertThat(o.upstream()).isEmpty();
            assertThat(o.connectTime()).isEmpty();
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void idleSessionIsClosedAfterProxyTimeout(Transport transport) throws Exception {
        RelayOptions options = BUFFERED.withIdleTimeout(Duration.ofMillis(300));
        try (ProxyHarness h = new ProxyHarness(transport, options, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            // Some traffic first, then silence.
            client.getOutputStream().write(new byte[] {42});
            assertThat(upstream.getInputStream().read()).isEqualTo(42);
            SessionOutcome o = h.outcome();
            assertThat(o.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void trafficInEitherDirectionKeepsTheSessionAlive(Transport transport) throws Exception {
        RelayOptions options = BUFFERED.withIdleTimeout(Duration.ofMillis(400));
        try (ProxyHarness h = new ProxyHarness(transport, options, UpstreamPreface.NONE);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            Channel accepted = h.acceptedChannel();
            // Ten gaps of 100 ms: the session lives 1 s, over twice the timeout, because no single gap
            // reaches it. Alternating directions checks that both count as activity.
            for (int i = 0; i < 10; i++) {
                if (i % 2 == 0) {
                    client.getOutputStream().write(i);
                    assertThat(upstream.getInputStream().read()).isEqualTo(i);
                } else {
                    upstream.getOutputStream().write(i);
                    assertThat(client.getInputStream().read()).isEqualTo(i);
                }
                Thread.sleep(100);
            }
            assertThat(accepted.isActive()).isTrue();
            SessionOutcome o = h.outcome(); // now silent: the timeout ends it
            assertThat(o.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(o.bytesReceived()).isEqualTo(5);
            assertThat(o.bytesSent()).isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aSlowReaderKeepsTheSessionAliveWhileItsSocketTakesBytesAndEndsItWhenItStops(Transport transport)
            throws Exception {
        RelayOptions options = BUFFERED.withIdleTimeout(Duration.ofMillis(500));
        try (ProxyHarness h = new ProxyHarness(transport, options, UpstreamPreface.NONE);
                Socket client = h.connectClient(4096)) {
            Channel accepted = h.acceptedChannel();
            // Small kernel buffers on both ends: the relay's writes to the client go only as fast as it reads.
            accepted.eventLoop().submit(() -> accepted.config().setOption(ChannelOption.SO_SNDBUF, 4096)).get();
            CompletableFuture<Void> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    Peers.send(u, 10, 64L << 20); // ends in an exception once the proxy closes it
                }
                return null;
            });
            // 1 KiB every 50 ms for 2 s. The relay reads from the upstream again only after the client took
            // 32 KiB (the low watermark), longer than the timeout: only the writes show that the session lives.
            InputStream in = client.getInputStream();
            byte[] chunk = new byte[1024];
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                assertThat(in.read(chunk)).isPositive();
                Thread.sleep(50);
            }
            assertThat(accepted.isActive()).isTrue();
            SessionOutcome o = h.outcome(); // it reads nothing now, so nothing is written: the timeout ends it
            assertThat(o.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(upstreamSide).failsWithin(20, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void prefaceReachesUpstreamBeforeEarlyAndRelayedBytes(Transport transport) throws Exception {
        UpstreamPreface preface = (client, upstream) -> Unpooled.copiedBuffer("PREFACE|", StandardCharsets.US_ASCII);
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, preface, null,
                        // Stands in for a PROXY receive stage passing on bytes read past the header.
                        ch -> ch.pipeline().fireChannelRead(Unpooled.copiedBuffer("early|", StandardCharsets.US_ASCII)));
                Socket client = h.connectClient()) {
            CompletableFuture<String> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    return new String(u.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            client.getOutputStream().write("relayed".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(upstreamSide.get(20, TimeUnit.SECONDS)).isEqualTo("PREFACE|early|relayed");
            SessionOutcome o = h.outcome();
            assertThat(o.upstreamBytesSent()).isEqualTo("early|relayed".length());
        }
    }

    /** Server-speaks-first protocols (SMTP, MySQL): the preface must not wait for client bytes to travel with. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void prefaceIsSentWhileTheClientWaitsForTheServerToSpeak(Transport transport) throws Exception {
        UpstreamPreface preface = (client, upstream) -> Unpooled.copiedBuffer("PREFACE|", StandardCharsets.US_ASCII);
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, preface);
                Socket client = h.connectClient();
                Socket upstream = h.acceptUpstream()) {
            upstream.setSoTimeout(10_000);
            assertThat(upstream.getInputStream().readNBytes("PREFACE|".length()))
                    .asString(StandardCharsets.US_ASCII).isEqualTo("PREFACE|");
            upstream.getOutputStream().write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().readNBytes("220 ready\r\n".length()))
                    .asString(StandardCharsets.US_ASCII).isEqualTo("220 ready\r\n");
        }
    }

    /**
     * The client is read while the upstream connects, but no further than a buffer's worth; what was
     * read follows the preface, the rest the relay.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void clientBytesReadWhileTheUpstreamConnectsFollowThePreface(Transport transport) throws Exception {
        UpstreamPreface preface = (client, upstream) -> Unpooled.copiedBuffer("PREFACE|", StandardCharsets.US_ASCII);
        byte[] request = new byte[3 * BUFFERED.bufferSize() + 17];
        new Random(7).nextBytes(request);
        CompletableFuture<Void> connectAllowed = new CompletableFuture<>();
        UnaryOperator<UpstreamConnector> heldBack = ProxyHarness.connectingOnceAllowed(connectAllowed);
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, preface, null, ch -> {}, heldBack);
                Socket client = h.connectClient()) {
            client.getOutputStream().write(request);
            client.shutdownOutput();
            Channel accepted = h.acceptedChannel();
            // A buffer's worth read, then reading stops until there is an upstream to write to.
            awaitOnLoop(accepted, () -> !accepted.config().isAutoRead());
            connectAllowed.complete(null);
            try (Socket upstream = h.acceptUpstream()) {
                byte[] received = upstream.getInputStream().readAllBytes();
                assertThat(new String(received, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("PREFACE|");
                assertThat(java.util.Arrays.copyOfRange(received, 8, received.length)).isEqualTo(request);
            }
            assertThat(h.outcome().bytesReceived()).isEqualTo(request.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void upstreamCloseIsPassedOnAsFinAfterQueuedBytes(Transport transport) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            try (Socket u = h.acceptUpstream()) {
                u.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            } // a plain close: the proxy sees data then FIN
            byte[] got = client.getInputStream().readAllBytes();
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("bye");
            // Half-closure keeps the session until the client is done too (proxy_half_close on).
            client.close();
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.bytesSent()).isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void upstreamResetClosesTheClient(Transport transport) throws Exception {
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            try (Socket u = h.acceptUpstream()) {
                // Relay one byte first so the reset hits a running relay, not the connect (that is a 502).
                client.getOutputStream().write(7);
                assertThat(u.getInputStream().read()).isEqualTo(7);
                u.setSoLinger(true, 0); // close with RST
            }
            assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            SessionOutcome o = h.outcome();
            assertThat(o.status()).isEqualTo(SessionStatus.OK);
            assertThat(o.end()).isIn(SessionEnd.COMPLETE, SessionEnd.IO_ERROR);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void clientResetMidResponseCountsOnlyWhatItsSocketAcceptedAndBlamesTheClient(Transport transport) throws Exception {
        long seen = 64 * 1024;
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            client.setReceiveBufferSize(64 * 1024);
            CompletableFuture<Void> upstreamSide = async(() -> {
                try (Socket u = h.acceptUpstream()) {
                    Peers.send(u, 8, 64L << 20); // ends in an exception once the proxy closes it
                }
                return null;
            });
            Peers.receiveExactly(client, 8, seen);
            Channel accepted = h.acceptedChannel();
            awaitBackedUp(accepted);
            client.setSoLinger(true, 0);
            client.close(); // RST while the proxy still holds bytes for it

            SessionOutcome o = h.outcome();
            assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).startsWith("client side"));
            assertThat(o.bytesSent()).isGreaterThanOrEqualTo(seen);
            // Everything read from the upstream was queued for the client; what it still held is not counted.
            assertThat(o.bytesSent()).isLessThan(o.upstreamBytesReceived());
            assertThat(upstreamSide).failsWithin(20, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void upstreamResetMidRequestCountsOnlyWhatItsSocketAcceptedAndBlamesTheUpstream(Transport transport)
            throws Exception {
        long seen = 64 * 1024;
        try (ProxyHarness h = new ProxyHarness(transport, BUFFERED, UpstreamPreface.NONE);
                Socket client = h.connectClient()) {
            CompletableFuture<Void> clientSide = async(() -> {
                Peers.send(client, 9, 64L << 20); // ends in an exception once the proxy closes it
                return null;
            });
            Channel upstream;
            try (Socket u = h.acceptUpstream()) {
                Peers.receiveExactly(u, 9, seen);
                upstream = upstreamOf(h.acceptedChannel());
                awaitBackedUp(upstream);
                u.setSoLinger(true, 0);
            }

            SessionOutcome o = h.outcome();
            assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).startsWith("upstream side"));
            assertThat(o.upstreamBytesSent()).isGreaterThanOrEqualTo(seen);
            assertThat(o.upstreamBytesSent()).isLessThan(o.bytesReceived());
            assertThat(clientSide).failsWithin(20, TimeUnit.SECONDS);
        }
    }

    /** Waits (bounded) until the proxy holds more for {@code ch} than its socket takes: the peer reads nothing. */
    private static void awaitBackedUp(Channel ch) throws Exception {
        awaitOnLoop(ch, () -> !ch.isWritable());
    }

    private static int readOrEof(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1; // a reset is as good as a FIN for "the proxy closed it"
        }
    }

    /** The upstream channel of the session relaying {@code accepted}, read on its event loop. */
    private static Channel upstreamOf(Channel accepted) throws Exception {
        return accepted.eventLoop()
                .submit(() -> ((RelayEndpoint) accepted.pipeline().get(RelaySession.HANDLER_NAME)).peerChannel())
                .get(5, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} on the channel's event loop, where the relay's state lives, for up to 10 s. */
    private static void awaitOnLoop(Channel ch, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ch.eventLoop().submit(condition::getAsBoolean).get(10, TimeUnit.SECONDS)) {
            assertThat(System.nanoTime()).as("condition not reached within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
