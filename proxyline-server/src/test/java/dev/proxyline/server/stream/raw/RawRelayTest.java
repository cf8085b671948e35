package dev.proxyline.server.stream.raw;

import static dev.proxyline.server.testing.PeerThreads.async;
import static dev.proxyline.server.testing.PeerThreads.readOrEof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.stream.RelayOptions;
import dev.proxyline.server.stream.SessionEnd;
import dev.proxyline.server.testing.Pattern;
import dev.proxyline.server.testing.Peers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw relay on real loopback sockets: bytes, counts, ends and errors as the Netty relay has them. Runs on
 * Netty's own epoll event loop; {@link RawRelayOnWorkerLoopTest} runs the same on proxyline's workers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawRelayTest {

    private static final long MIB = 1 << 20;
    private static final RelayOptions BUFFERED = RelayOptions.defaults().withSplice(false);

    @BeforeEach
    void needsEpoll() {
        assumeTrue(Epoll.isAvailable(), "the raw relay runs on the epoll transport");
    }

    /** One epoll event loop for the relay. */
    EventLoopGroup newLoop() {
        return new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    private RawRelayRig rig() throws Exception {
        return new RawRelayRig(newLoop());
    }

    @Test
    void aSmallExchangeGoesBothWaysAndIsCounted() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            send(rig.client, "hello");
            assertThat(receive(rig.upstream, 5)).isEqualTo("hello");
            send(rig.upstream, "world!");
            assertThat(receive(rig.client, 6)).isEqualTo("world!");
            rig.client.shutdownOutput();

            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.error()).isEmpty();
            assertThat(r.bytesReceived()).isEqualTo(5);
            assertThat(r.upstreamBytesSent()).isEqualTo(5);
            assertThat(r.upstreamBytesReceived()).isEqualTo(6);
            assertThat(r.bytesSent()).isEqualTo(6);
            assertThat(r.spliced()).isFalse();
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void thePrefaceAndEarlyBytesGoFirstAndThePrefaceIsNotCounted(boolean direct) throws Exception {
        byte[] preface = "PROXY TCP4 203.0.113.7 10.0.0.30 51234 443\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] early = "early;".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer first = direct ? ByteBuffer.allocateDirect(preface.length + early.length)
                : ByteBuffer.allocate(preface.length + early.length);
        first.put(preface).put(early).flip();
        try (RawRelayRig rig = rig().start(BUFFERED, first, preface.length, false)) {
            send(rig.client, "later");
            String expected = new String(preface, StandardCharsets.US_ASCII) + "early;later";
            assertThat(receive(rig.upstream, expected.length())).isEqualTo(expected);
            rig.client.shutdownOutput();

            RawRelay.RelayResult r = rig.result();
            assertThat(r.bytesReceived()).isEqualTo(early.length + 5);
            assertThat(r.upstreamBytesSent()).isEqualTo(early.length + 5);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void aClientWhoseEndWasSeenByTheFrontEndsTheSessionOnceItsBytesAreOut() throws Exception {
        ByteBuffer first = ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII));
        try (RawRelayRig rig = rig().start(BUFFERED, first, 0, true)) {
            assertThat(rig.upstream.getInputStream().readAllBytes())
                    .isEqualTo("last words".getBytes(StandardCharsets.US_ASCII));
            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.upstreamBytesSent()).isEqualTo(10);
        }
    }

    @Test
    void slowReadersHoldBothWritersBackWithAtMostOneReadPendingAndGetEveryByte() throws Exception {
        long size = 16 * MIB;
        RelayOptions options = BUFFERED.withHalfClose(true);
        try (RawRelayRig rig = rig().start(options)) {
            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicLong mostPending = new AtomicLong();
            CompletableFuture<Void> sampler = async(() -> {
                while (sampling.get()) {
                    int now = rig.onLoop(() -> rig.relay().pendingBytes());
                    mostPending.accumulateAndGet(now, Math::max);
                    Thread.sleep(1);
                }
                return null;
            });
            CompletableFuture<Void> upstreamSends = async(() -> {
                Peers.send(rig.upstream, 2, size);
                rig.upstream.shutdownOutput();
                return null;
            });
            CompletableFuture<Long> upstreamReads = async(() -> pausingReceiveToEof(rig.upstream, 1));
            CompletableFuture<Void> clientSends = async(() -> {
                Peers.send(rig.client, 1, size);
                rig.client.shutdownOutput();
                return null;
            });
            assertThat(pausingReceiveToEof(rig.client, 2)).isEqualTo(size);
            assertThat(upstreamReads.get(50, TimeUnit.SECONDS)).isEqualTo(size);
            upstreamSends.get(10, TimeUnit.SECONDS);
            clientSends.get(10, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.get(10, TimeUnit.SECONDS);

            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.bytesReceived()).isEqualTo(size);
            assertThat(r.upstreamBytesSent()).isEqualTo(size);
            assertThat(r.upstreamBytesReceived()).isEqualTo(size);
            assertThat(r.bytesSent()).isEqualTo(size);
            assertThat(mostPending.get()).as("pending bytes, both directions").isPositive()
                    .isLessThanOrEqualTo(2L * options.bufferSize());
        }
    }

    /** Reads to the end, checking every byte, and stops reading for a while now and then. */
    private static long pausingReceiveToEof(Socket s, long seed) throws Exception {
        Pattern p = new Pattern(seed);
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        long nextPause = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            p.verify(buf, 0, n);
            if (p.position() >= nextPause) {
                Thread.sleep(100);
                nextPause += 4 * MIB;
            }
        }
        return p.position();
    }

    @Test
    void withoutHalfCloseTheFirstFinClosesBothSocketsAfterItsBytesWereDelivered() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            CompletableFuture<Long> upstreamGot = async(() -> Peers.receiveToEof(rig.upstream, 1));
            Peers.send(rig.client, 1, MIB);
            rig.client.shutdownOutput();
            // The upstream closed nothing: its EOF is the relay's close.
            assertThat(upstreamGot.get(30, TimeUnit.SECONDS)).isEqualTo(MIB);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.bytesReceived()).isEqualTo(MIB);
            assertThat(r.upstreamBytesSent()).isEqualTo(MIB);
        }
    }

    @Test
    void withHalfCloseTheFinIsPassedOnAndTheOtherDirectionGoesOn() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED.withHalfClose(true))) {
            send(rig.client, "request");
            rig.client.shutdownOutput();
            assertThat(new String(rig.upstream.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("request");
            assertThat(rig.result).as("one direction is still open").isNotDone();
            send(rig.upstream, "response");
            rig.upstream.shutdownOutput();
            assertThat(new String(rig.client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("response");
            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.bytesSent()).isEqualTo(8);
            assertThat(r.upstreamBytesSent()).isEqualTo(7);
        }
    }

    @Test
    void aSocketWhoseInputEndedDoesNotKeepTheLoopBusy() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED.withHalfClose(true))) {
            rig.client.shutdownOutput();
            assertThat(rig.upstream.getInputStream().read()).isEqualTo(-1);
            // The client's EPOLLRDHUP stays reported (level-triggered) while the other direction is open: a
            // relay that still asked for it would spin on the loop for the whole wait.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long loopThread = rig.onLoop(() -> Thread.currentThread().getId());
            long cpuBefore = threads.getThreadCpuTime(loopThread);
            Thread.sleep(500);
            long cpuUsed = threads.getThreadCpuTime(loopThread) - cpuBefore;
            assertThat(Duration.ofNanos(cpuUsed)).as("loop CPU while idle").isLessThan(Duration.ofMillis(100));

            send(rig.upstream, "still open");
            assertThat(receive(rig.client, 10)).isEqualTo("still open");
            assertThat(rig.result).isNotDone();
        }
    }

    @ParameterizedTest(name = "reset by the client: {0}")
    @ValueSource(booleans = {true, false})
    void aResetEndsTheSessionWithAnErrorNamingTheSide(boolean byClient) throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            send(rig.client, "ping");
            assertThat(receive(rig.upstream, 4)).isEqualTo("ping");
            Socket resetting = byClient ? rig.client : rig.upstream;
            resetting.setSoLinger(true, 0);
            resetting.close();

            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.IO_ERROR);
            assertThat(r.error()).hasValueSatisfying(e -> assertThat(e)
                    .startsWith(byClient ? "client side: " : "upstream side: ").contains("reset"));
            Socket other = byClient ? rig.upstream : rig.client;
            assertThat(readOrEof(other.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void anAnswerAndAResetInOneWakeUpReachTheClientAnswerFirst() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            // Written and reset while the loop is busy, so the relay wakes to the answer and the reset together: a
            // server refusing a request it got half of does this (HAProxy's 400 to a PROXY header it does not expect).
            rig.onLoop(() -> {
                send(rig.upstream, "HTTP/1.1 400 Bad request");
                rig.upstream.setSoLinger(true, 0);
                rig.upstream.close();
                return null;
            });

            assertThat(receive(rig.client, 24)).isEqualTo("HTTP/1.1 400 Bad request");
            RawRelay.RelayResult r = rig.result();
            assertThat(r.end()).isEqualTo(SessionEnd.IO_ERROR);
            assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).startsWith("upstream side: "));
        }
    }

    @Test
    void proxyTimeoutEndsASessionWithoutTraffic() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (RawRelayRig rig = rig().start(BUFFERED.withIdleTimeout(timeout))) {
            send(rig.client, "hi");
            assertThat(receive(rig.upstream, 2)).isEqualTo("hi");
            long quietSince = System.nanoTime();
            RawRelay.RelayResult r = rig.result();
            assertThat(Duration.ofNanos(System.nanoTime() - quietSince))
                    .isGreaterThanOrEqualTo(timeout.minusMillis(50));
            assertThat(r.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(r.bytesReceived()).isEqualTo(2);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void closeFromOutsideClosesBothAndReportsOnce() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            send(rig.client, "abc");
            assertThat(receive(rig.upstream, 3)).isEqualTo("abc");
            rig.onLoop(() -> {
                rig.relay().close();
                rig.relay().close();
                return null;
            });
            RawRelay.RelayResult r = rig.result();
            assertThat(r.bytesReceived()).isEqualTo(3);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
            rig.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            assertThat(rig.reports).hasValue(1);
        }
    }

    @Test
    void theLoopShuttingDownEndsTheSessionAndReportsOnce() throws Exception {
        try (RawRelayRig rig = rig().start(BUFFERED)) {
            send(rig.client, "abc");
            assertThat(receive(rig.upstream, 3)).isEqualTo("abc");
            // A quiet period: Netty 4.2.18 closes what is registered only when the shutdown is seen after a
            // round of I/O, which one that lands while the loop runs tasks skips when there is none.
            rig.group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
            RawRelay.RelayResult r = rig.result();
            assertThat(r.bytesReceived()).isEqualTo(3);
            assertThat(rig.reports).hasValue(1);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "half-close on: {0}")
    @ValueSource(booleans = {true, false})
    void aBulkTransferSwitchesToSpliceAndEveryByteArrivesBeforeTheFin(boolean halfClose) throws Exception {
        long size = 16 * MIB;
        try (RawRelayRig rig = rig().start(RelayOptions.defaults().withHalfClose(halfClose))) {
            CompletableFuture<Long> upstreamGot = async(() -> Peers.receiveToEof(rig.upstream, 1));
            Peers.send(rig.client, 1, size);
            rig.client.shutdownOutput();
            assertThat(upstreamGot.get(50, TimeUnit.SECONDS)).isEqualTo(size);
            long back = 0;
            if (halfClose) {
                // The other direction goes on after the FIN, spliced too.
                back = 3 * MIB + 5;
                Peers.send(rig.upstream, 2, back);
                rig.upstream.shutdownOutput();
                assertThat(Peers.receiveToEof(rig.client, 2)).isEqualTo(back);
            } else {
                assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            }

            RawRelay.RelayResult r = rig.result();
            assertThat(r.spliced()).as("switched to splice").isTrue();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.error()).isEmpty();
            assertThat(r.bytesReceived()).isEqualTo(size);
            assertThat(r.upstreamBytesSent()).isEqualTo(size);
            assertThat(r.upstreamBytesReceived()).isEqualTo(back);
            assertThat(r.bytesSent()).isEqualTo(back);
        }
    }

    @Test
    void aDirectionThatEndedBeforeTheSwitchStaysEndedWhileTheOtherRunsSpliced() throws Exception {
        long size = 8 * MIB;
        try (RawRelayRig rig = rig().start(RelayOptions.defaults().withHalfClose(true))) {
            send(rig.client, "GET");
            rig.client.shutdownOutput();
            assertThat(new String(rig.upstream.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("GET");
            CompletableFuture<Long> clientGot = async(() -> Peers.receiveToEof(rig.client, 4));
            Peers.send(rig.upstream, 4, size);
            rig.upstream.shutdownOutput();
            assertThat(clientGot.get(50, TimeUnit.SECONDS)).isEqualTo(size);

            RawRelay.RelayResult r = rig.result();
            assertThat(r.spliced()).isTrue();
            assertThat(r.end()).isEqualTo(SessionEnd.COMPLETE);
            assertThat(r.bytesReceived()).isEqualTo(3);
            assertThat(r.upstreamBytesSent()).isEqualTo(3);
            assertThat(r.upstreamBytesReceived()).isEqualTo(size);
            assertThat(r.bytesSent()).isEqualTo(size);
        }
    }

    @Test
    void proxyTimeoutEndsASplicedSessionWithoutTraffic() throws Exception {
        try (RawRelayRig rig = rig().start(RelayOptions.defaults().withIdleTimeout(Duration.ofMillis(300)))) {
            CompletableFuture<Void> reading = async(() -> {
                Peers.receiveExactly(rig.upstream, 5, MIB);
                return null;
            });
            Peers.send(rig.client, 5, MIB);
            reading.get(20, TimeUnit.SECONDS);
            RawRelay.RelayResult r = rig.result();
            assertThat(r.spliced()).isTrue();
            assertThat(r.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
            assertThat(r.bytesReceived()).isEqualTo(MIB);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void closeFromOutsideEndsASplicedSessionAndReportsOnce() throws Exception {
        try (RawRelayRig rig = rig().start(RelayOptions.defaults())) {
            CompletableFuture<Void> reading = async(() -> {
                Peers.receiveExactly(rig.upstream, 6, MIB);
                return null;
            });
            Peers.send(rig.client, 6, MIB);
            reading.get(20, TimeUnit.SECONDS);
            rig.onLoop(() -> {
                rig.relay().close();
                rig.relay().close();
                return null;
            });
            RawRelay.RelayResult r = rig.result();
            assertThat(r.spliced()).isTrue();
            assertThat(r.bytesReceived()).isEqualTo(MIB);
            assertThat(readOrEof(rig.client.getInputStream())).isEqualTo(-1);
            assertThat(readOrEof(rig.upstream.getInputStream())).isEqualTo(-1);
            assertThat(rig.reports).hasValue(1);
        }
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String receive(Socket s, int length) throws IOException {
        return new String(s.getInputStream().readNBytes(length), StandardCharsets.US_ASCII);
    }
}
