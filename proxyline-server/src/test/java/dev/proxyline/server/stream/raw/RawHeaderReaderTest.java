package dev.proxyline.server.stream.raw;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.OncePerSourceLog;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.protocol.netty.TrustPolicy;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawHeaderReaderTest {
    static final InetAddress LOOPBACK = ip(127, 0, 0, 1);
    static final InetAddress BALANCER = ip(127, 0, 0, 7);
    static final InetSocketAddress CLIENT = new InetSocketAddress(ip(192, 0, 2, 1), 51234);
    static final InetSocketAddress DESTINATION = new InetSocketAddress(ip(198, 51, 100, 1), 443);

    /** What the reader reported. */
    sealed interface Outcome permits Received, Refused {
    }

    record Received(ProxiedConnection connection, String rest, boolean inputEnded) implements Outcome {
    }

    record Refused(int status) implements Outcome {
    }

    private final RecordingLogger refusals = new RecordingLogger();
    private final RecordingLogger diagnoses = new RecordingLogger();
    private final ProxyCounters counters = new ProxyCounters();
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();
    private EventLoops loops;
    private RawStreamListener listener;

    /** An accepted connection, registered with its loop and not yet read. */
    record Accepted(IoEventLoop loop, RawSocket socket, InetSocketAddress remote, InetSocketAddress local) {
    }

    @BeforeEach
    void listen() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1));
        listener = RawStreamListener.bind(loops, ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                (loop, socket, remote, local, slots) -> {
                    RawSocket raw = new RawSocket(socket, new Unowned());
                    raw.register(loop, 0);
                    // Released at once: these tests are about the header, not worker_connections.
                    slots.release();
                    accepted.add(new Accepted(loop, raw, remote, local));
                }).sync().getNow();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (loops != null) {
            loops.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aHeaderIsAcceptedAndTheBytesAfterItAreTheRest(ProtocolVersion version) throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            write(client, concat(header(version), "hello, upstream".getBytes(US_ASCII)));

            Received received = (Received) next();
            assertThat(received.connection().client()).isEqualTo(CLIENT);
            assertThat(received.connection().destination()).isEqualTo(DESTINATION);
            assertThat(received.connection().peer()).isEqualTo(a.remote());
            assertThat(received.connection().header()).map(ProxyHeader::version).contains(version);
            assertThat(received.rest()).isEqualTo("hello, upstream");
            assertThat(received.inputEnded()).isFalse();
            assertThat(counters.acceptedCount(version)).isEqualTo(1);
            close(a);
        }
    }

    @Test
    void aHeaderAlreadyInTheSocketAtStartIsJudgedBeforeStartReturnsAndAFinWithItIsLeftForTheNextReader()
            throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = accepted.poll(10, TimeUnit.SECONDS);
            write(client, concat(header(ProtocolVersion.V1), "hello".getBytes(US_ASCII)));
            client.shutdownOutput();
            // Both are in the socket before the reader starts.
            Thread.sleep(100);
            start(a, stage);

            assertThat(outcomes.poll()).as("reported within start, without waiting for readiness")
                    .isInstanceOfSatisfying(Received.class, received -> {
                        assertThat(received.connection().client()).isEqualTo(CLIENT);
                        assertThat(received.rest()).isEqualTo("hello");
                        assertThat(received.inputEnded()).as("one read cannot tell the FIN").isFalse();
                    });
            assertThat(outcomes.poll(50, TimeUnit.MILLISECONDS)).as("reported once").isNull();
            assertThat(a.loop().submit(() -> a.socket().socket().read(ByteBuffer.allocateDirect(16), 0, 16))
                    .get(10, TimeUnit.SECONDS)).as("the FIN is still there for whoever reads next").isEqualTo(-1);
            assertThat(counters.acceptedCount(ProtocolVersion.V1)).isEqualTo(1);
            close(a);
        }
    }

    @Test
    void aHeaderThatArrivesAfterStartIsReadOnReadinessAndAFinThatCameWithItIsReported() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            assertThat(outcomes.poll()).as("nothing to judge at start").isNull();
            // The loop is held while both arrive, so the one readiness event it then sees reports them together.
            CountDownLatch held = new CountDownLatch(1);
            a.loop().execute(() -> awaitQuietly(held));
            write(client, header(ProtocolVersion.V1));
            client.shutdownOutput();
            held.countDown();

            Received received = (Received) next();
            assertThat(received.rest()).isEmpty();
            assertThat(received.inputEnded()).isTrue();
            close(a);
        }
    }

    @Test
    void aHeaderSplitOverSeveralWritesIsAcceptedWithTheDataOfItsLastWrite() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        byte[] v2 = header(ProtocolVersion.V2);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            assertThat(outcomes.poll()).as("nothing to judge at start").isNull();
            write(client, slice(v2, 0, 5));
            Thread.sleep(50);
            write(client, slice(v2, 5, 17));
            Thread.sleep(50);
            write(client, concat(slice(v2, 17, v2.length), "GET /".getBytes(US_ASCII)));

            Received received = (Received) next();
            assertThat(received.connection().client()).isEqualTo(CLIENT);
            assertThat(received.rest()).isEqualTo("GET /");
            assertThat(counters.acceptedCount(ProtocolVersion.V2)).isEqualTo(1);
            close(a);
        }
    }

    @Test
    void aRejectedSourceIsRefusedWith403AtOnceAndCounted() throws Exception {
        TrustPolicy trust = TrustPolicy.builder().trust("127.0.0.1/32").rule("127.0.0.7/32", HeaderPolicy.REJECT).build();
        ProxyReceiveStage stage = stage(trust, ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);

            assertThat(next()).isEqualTo(new Refused(403));
            assertThat(counters.refusedCount(Reason.UNTRUSTED)).isEqualTo(1);
            assertThat(refusals.lines).singleElement().asString()
                    .startsWith("INFO PROXY listener refused connection from 127.0.0.7:" + client.getLocalPort())
                    .endsWith("source not allowed on this PROXY listener (policy REJECT)");
            close(a);
        }
    }

    @Test
    void anInvalidHeaderIsRefusedWith400CountedAndLoggedOnce() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            write(client, "PROXY TCP4 192.0.2.1 198.51.100.1 51234 080\r\n".getBytes(US_ASCII));

            assertThat(next()).isEqualTo(new Refused(400));
            assertThat(counters.refusedTotal()).isEqualTo(1);
            assertThat(refusals.lines).singleElement().asString()
                    .startsWith("INFO PROXY listener refused connection from 127.0.0.7:" + client.getLocalPort()
                            + " to 127.0.0.1:" + listener.localAddress().getPort() + ": ");
            close(a);
        }
    }

    @Test
    void aHeaderLateForTheDeadlineIsRefusedWith400() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), Duration.ofMillis(200));
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            write(client, "PROXY ".getBytes(US_ASCII));

            assertThat(next()).isEqualTo(new Refused(400));
            assertThat(counters.refusedCount(Reason.TIMEOUT)).isEqualTo(1);
            assertThat(refusals.lines).singleElement().asString()
                    .endsWith("no complete PROXY header within 200 ms (6 bytes received)");
            close(a);
        }
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsEmpty() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        Accepted a;
        try (Socket client = connect(BALANCER)) {
            a = start(stage);
        }
        assertThat(next()).isEqualTo(new Refused(400));
        assertThat(counters.refusedCount(Reason.EMPTY)).isEqualTo(1);
        close(a);
    }

    @Test
    void endOfInputInsideTheHeaderIsTruncated() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            write(client, "PROXY TCP4 ".getBytes(US_ASCII));
            client.shutdownOutput();

            assertThat(next()).isEqualTo(new Refused(400));
            assertThat(counters.refusedCount(Reason.TRUNCATED)).isEqualTo(1);
            assertThat(refusals.lines).singleElement().asString()
                    .endsWith("connection closed after 11 bytes, inside the PROXY header");
            close(a);
        }
    }

    @Test
    void anOptionalSourceWithoutAHeaderHasItsBytesPassedOnWholeEvenAcrossReads() throws Exception {
        TrustPolicy trust = TrustPolicy.builder().rule("127.0.0.0/8", HeaderPolicy.OPTIONAL).build();
        ProxyReceiveStage stage = stage(trust, ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            // "P" could start a v1 header, so it is held until the next read decides.
            write(client, "P".getBytes(US_ASCII));
            Thread.sleep(50);
            write(client, "OST / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));

            Received received = (Received) next();
            assertThat(received.rest()).isEqualTo("POST / HTTP/1.1\r\n\r\n");
            assertThat(received.connection().header()).isEmpty();
            assertThat(received.connection().client()).isEqualTo(a.remote());
            assertThat(counters.withoutHeaderCount()).isEqualTo(1);
            close(a);
        }
    }

    @Test
    void anHttpRequestWhereTheHeaderBelongsGetsTheDiagnosis() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), ReceiveSettings.DEFAULT_DEADLINE);
        try (Socket client = connect(BALANCER)) {
            Accepted a = start(stage);
            write(client, "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(US_ASCII));

            assertThat(next()).isEqualTo(new Refused(400));
            assertThat(counters.refusedCount(Reason.NOT_PROXY_HTTP)).isEqualTo(1);
            assertThat(diagnoses.lines).containsExactly("WARNING listener 127.0.0.1:" + listener.localAddress().getPort()
                    + ": expected a PROXY protocol header from 127.0.0.7:" + client.getLocalPort()
                    + " but got an HTTP request; is the balancer sending it?");
            assertThat(refusals.lines).isEmpty();
            close(a);
        }
    }

    @Test
    void aCancelledReaderReportsNothingAndItsDeadlineDoesNotFire() throws Exception {
        ProxyReceiveStage stage = stage(TrustPolicy.requireFromAll(), Duration.ofMillis(100));
        try (Socket client = connect(BALANCER)) {
            Accepted a = accepted.poll(10, TimeUnit.SECONDS);
            RawHeaderReader reader = a.loop().submit(() -> RawHeaderReader.start(a.loop(), a.socket(), a.remote(),
                    a.local(), stage, recorder())).get(10, TimeUnit.SECONDS);
            a.loop().submit(reader::cancel).get(10, TimeUnit.SECONDS);

            assertThat(outcomes.poll(400, TimeUnit.MILLISECONDS)).isNull();
            assertThat(counters.refusedTotal()).isZero();
            close(a);
        }
    }

    private ProxyReceiveStage stage(TrustPolicy trust, Duration deadline) {
        return new ProxyReceiveStage(ReceiveSettings.of(trust).withDeadline(deadline), counters,
                new RejectionLog(refusals, Duration.ofSeconds(10), System::nanoTime),
                new OncePerSourceLog(diagnoses, OncePerSourceLog.Limits.DEFAULT, System::nanoTime));
    }

    private Accepted start(ProxyReceiveStage stage) throws Exception {
        Accepted a = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(a).as("the connection was accepted").isNotNull();
        start(a, stage);
        return a;
    }

    private void start(Accepted a, ProxyReceiveStage stage) throws Exception {
        a.loop().submit(() -> RawHeaderReader.start(a.loop(), a.socket(), a.remote(), a.local(), stage, recorder()))
                .get(10, TimeUnit.SECONDS);
    }

    private RawHeaderReader.Done recorder() {
        return new RawHeaderReader.Done() {
            @Override
            public void received(ProxiedConnection connection, ByteBuffer rest, boolean inputEnded) {
                byte[] bytes = new byte[rest.remaining()];
                rest.get(bytes);
                outcomes.add(new Received(connection, new String(bytes, US_ASCII), inputEnded));
            }

            @Override
            public void refused(int status) {
                outcomes.add(new Refused(status));
            }
        };
    }

    private Outcome next() throws InterruptedException {
        Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
        assertThat(outcome).as("the reader reported").isNotNull();
        assertThat(outcomes.poll(50, TimeUnit.MILLISECONDS)).as("reported once").isNull();
        return outcome;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Accepted a) throws Exception {
        a.loop().submit(a.socket()::closeSocket).get(10, TimeUnit.SECONDS);
    }

    private Socket connect(InetAddress from) throws IOException {
        Socket client = new Socket();
        client.bind(new InetSocketAddress(from, 0));
        client.connect(listener.localAddress());
        client.setTcpNoDelay(true);
        return client;
    }

    private static void write(Socket client, byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static byte[] header(ProtocolVersion version) {
        ByteBuffer out = ByteBuffer.allocate(256);
        ProxyHeaderEncoder.encode(ProxyHeader.tcp(version, CLIENT, DESTINATION), out);
        return slice(out.array(), 0, out.position());
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static InetAddress ip(int... bytes) {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Readiness before the reader takes the socket over: none is asked for. */
    private static final class Unowned implements RawSocket.Events {
        @Override
        public void ready(RawSocket socket, int ops) {
        }

        @Override
        public void loopClosing(RawSocket socket) {
            socket.closeSocket();
        }
    }

    /** Keeps its lines as "LEVEL message". */
    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }
}
