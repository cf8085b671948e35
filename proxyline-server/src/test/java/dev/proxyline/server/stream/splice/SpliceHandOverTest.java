package dev.proxyline.server.stream.splice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-over and the spliced relay on their own: two Netty channels connected to blocking peers on
 * loopback, no relay session around them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpliceHandOverTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @BeforeEach
    void needsEpoll() {
        assumeTrue(Transport.epollAvailable(), "splice needs the epoll transport");
    }

    /** Records what the relay reports. */
    private static final class Recorder implements SpliceSession {
        final CompletableFuture<SplicedRelay> spliced = new CompletableFuture<>();
        final CompletableFuture<Void> resumed = new CompletableFuture<>();
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        final CompletableFuture<IOException> failed = new CompletableFuture<>();
        final CompletableFuture<Void> loopClosing = new CompletableFuture<>();
        final AtomicLong readFromA = new AtomicLong();
        final AtomicLong writtenToB = new AtomicLong();
        private final boolean passFinOn;

        Recorder(boolean passFinOn) {
            this.passFinOn = passFinOn;
        }

        @Override
        public void spliced(SplicedRelay relay) {
            spliced.complete(relay);
        }

        @Override
        public void resumeBuffered() {
            resumed.complete(null);
        }

        @Override
        public boolean passesFinOn() {
            return passFinOn;
        }

        @Override
        public boolean ended(boolean fromClient) {
            return false;
        }

        @Override
        public void moved(boolean fromClient, long read, long written) {
            if (fromClient) {
                readFromA.addAndGet(read);
                writtenToB.addAndGet(written);
            }
        }

        @Override
        public void finished() {
            finished.complete(null);
        }

        @Override
        public void failed(boolean clientSide, IOException cause) {
            failed.complete(cause);
        }

        @Override
        public void loopClosing() {
            loopClosing.complete(null);
        }
    }

    /** Two channels on one epoll loop, each connected to a blocking peer. */
    private static final class Pair implements AutoCloseable {
        final EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1));
        final ServerSocket server = new ServerSocket(0, 5, LOOPBACK);
        final BlockingQueue<String> readByA = new LinkedBlockingQueue<>();
        final Channel a;
        final Channel b;
        final Socket peerA;
        final Socket peerB;

        Pair() throws Exception {
            a = connect(readByA);
            peerA = accept();
            b = connect(new LinkedBlockingQueue<>());
            peerB = accept();
        }

        private Channel connect(BlockingQueue<String> reads) throws InterruptedException {
            return new Bootstrap().group(loops.workers()).channel(Transport.epoll().socketChannelClass())
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            reads.add(buf.toString(StandardCharsets.US_ASCII));
                            buf.release();
                        }
                    })
                    .connect(server.getLocalSocketAddress()).sync().channel();
        }

        private Socket accept() throws IOException {
            server.setSoTimeout(5_000);
            Socket s = server.accept();
            s.setSoTimeout(10_000);
            return s;
        }

        void begin(Recorder session, java.util.function.BooleanSupplier eligible) {
            a.eventLoop().execute(() -> {
                a.config().setAutoRead(false);
                b.config().setAutoRead(false);
                SpliceHandOver.begin(a, b, session, eligible);
            });
        }

        @Override
        public void close() throws IOException {
            peerA.close();
            peerB.close();
            server.close();
            a.close().awaitUninterruptibly();
            b.close().awaitUninterruptibly();
            loops.close();
        }
    }

    @Test
    void aConditionLostAfterTheDeregistrationGivesBothChannelsBackToNetty() throws Exception {
        try (Pair p = new Pair()) {
            Recorder session = new Recorder(true);
            AtomicInteger checks = new AtomicInteger();
            // Eligible once the writes are done, no longer once the channels are deregistered.
            p.begin(session, () -> checks.incrementAndGet() == 1);
            session.resumed.get(10, TimeUnit.SECONDS);
            assertThat(checks).hasValue(2);
            assertThat(session.spliced).isNotDone();
            assertThat(p.a.isRegistered()).isTrue();
            assertThat(p.b.isRegistered()).isTrue();

            // Netty reads from the socket again.
            p.a.eventLoop().execute(() -> p.a.config().setAutoRead(true));
            p.peerA.getOutputStream().write("still buffered".getBytes(StandardCharsets.US_ASCII));
            assertThat(p.readByA.poll(10, TimeUnit.SECONDS)).isEqualTo("still buffered");
        }
    }

    @Test
    void aSplicedRelayMovesTheBytesCountsThemAndEndsAfterBothFins() throws Exception {
        try (Pair p = new Pair()) {
            Recorder session = new Recorder(true);
            p.begin(session, () -> true);
            SplicedRelay relay = session.spliced.get(10, TimeUnit.SECONDS);
            assertThat(relay).isNotNull();
            assertThat(p.a.isRegistered()).isFalse();

            byte[] bytes = new byte[300_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 31);
            }
            p.peerA.getOutputStream().write(bytes);
            p.peerA.shutdownOutput();
            InputStream atB = p.peerB.getInputStream();
            assertThat(atB.readAllBytes()).isEqualTo(bytes);
            p.peerB.shutdownOutput();
            assertThat(p.peerA.getInputStream().read()).isEqualTo(-1);

            session.finished.get(10, TimeUnit.SECONDS);
            assertThat(session.readFromA).hasValue(bytes.length);
            assertThat(session.writtenToB).hasValue(bytes.length);
            assertThat(session.failed).isNotDone();
            // The relay left the sockets open: the session closes them through Netty.
            assertThat(p.a.isOpen()).isTrue();
        }
    }

    /** proxy_half_close off: the first FIN ends the relay once its bytes are through, without a shutdown. */
    @Test
    void withoutHalfCloseTheFirstFinEndsTheRelayAfterItsLastByteAndShutsNothing() throws Exception {
        try (Pair p = new Pair()) {
            Recorder session = new Recorder(false);
            p.begin(session, () -> true);
            session.spliced.get(10, TimeUnit.SECONDS);

            byte[] bytes = new byte[300_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 17);
            }
            p.peerA.getOutputStream().write(bytes);
            p.peerA.shutdownOutput();
            assertThat(p.peerB.getInputStream().readNBytes(bytes.length)).isEqualTo(bytes);

            session.finished.get(10, TimeUnit.SECONDS);
            assertThat(session.writtenToB).hasValue(bytes.length);
            assertThat(session.failed).isNotDone();
            // No FIN was passed on to B: closing is the session's job, and it has not closed anything here.
            p.peerB.setSoTimeout(300);
            assertThatThrownBy(() -> p.peerB.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(p.a.isOpen()).isTrue();
            assertThat(p.b.isOpen()).isTrue();
        }
    }

    @Test
    void theLoopShuttingDownStopsTheRelayAndLeavesTheClosingToTheSession() throws Exception {
        try (Pair p = new Pair()) {
            Recorder session = new Recorder(true);
            p.begin(session, () -> true);
            session.spliced.get(10, TimeUnit.SECONDS);

            // A quiet period: Netty 4.2.18 closes what is registered only when the shutdown is seen after a
            // round of I/O, which one that lands while the loop runs tasks skips when there is none.
            p.loops.shutdown(Duration.ofMillis(100), Duration.ofSeconds(5)).await(10, TimeUnit.SECONDS);
            session.loopClosing.get(10, TimeUnit.SECONDS);
            assertThat(session.finished).isNotDone();
            assertThat(session.failed).isNotDone();
        }
    }
}
