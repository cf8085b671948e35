package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.BALANCER;
import static dev.proxyline.protocol.netty.testing.PeerChannel.LISTENER;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.netty.testing.BufferShape;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.PeerChannel;
import dev.proxyline.protocol.netty.testing.Recorder;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import dev.proxyline.protocol.testing.Delivery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakCheck.class)
class UnexpectedHeaderHandlerTest {
    private static final long SEED = 20261126L;
    private static final BadRequestPage PAGE =
            new BadRequestPage("proxyline", Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC));
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String V1 = "PROXY TCP4 203.0.113.7 10.0.0.30 51234 80\r\n";
    private static final String V1_TCP6 = "PROXY TCP6 2001:db8::7 2001:db8::30 51234 80\r\n";
    private static final String V1_UNKNOWN = "PROXY UNKNOWN\r\n";
    private static final byte[] V2 = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a2111000ccb0071070a00001ec8220050");

    private final UnexpectedHeaderCounters counters = new UnexpectedHeaderCounters();
    private final RecordingLogger logger = new RecordingLogger();
    private final OncePerSourceLog log = new OncePerSourceLog(logger, OncePerSourceLog.Limits.DEFAULT, System::nanoTime);
    private final Recorder next = new Recorder();

    private PeerChannel httpListener() {
        return PeerChannel.fromBalancer(UnexpectedHeaderStage.forHttp(PAGE, counters, log).newHandler(), next);
    }

    private static byte[] bytes(String... parts) {
        return String.join("", parts).getBytes(US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Feeds {@code reads} in {@code shape} buffers at reader index {@code offset}; checks each was released. */
    private static void feed(PeerChannel channel, List<byte[]> reads, BufferShape shape, int offset) {
        List<ByteBuf> sent = new ArrayList<>();
        for (byte[] read : reads) {
            ByteBuf buf = shape.of(read, offset);
            sent.add(buf);
            if (channel.isOpen()) {
                channel.writeInbound(buf.retain());
            }
            buf.release();
        }
        channel.runPendingTasks();
        assertThat(sent).as("every read released").allMatch(b -> b.refCnt() == 0);
    }

    private static byte[] written(PeerChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            byte[] copy = new byte[buf.readableBytes()];
            buf.readBytes(copy);
            out.writeBytes(copy);
            buf.release();
        }
        return out.toByteArray();
    }

    static Stream<Arguments> headersEveryWay() {
        List<Arguments> cases = new ArrayList<>();
        for (byte[] header : List.of(bytes(V1), bytes(V1_TCP6), bytes(V1_UNKNOWN), V2)) {
            for (Delivery delivery : Delivery.values()) {
                for (BufferShape shape : BufferShape.values()) {
                    for (int offset : new int[] {0, 3}) {
                        cases.add(Arguments.of(new String(header, US_ASCII).startsWith("PROXY") ? "v1" : "v2",
                                header, delivery, shape, offset));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} readerIndex={4}")
    @MethodSource("headersEveryWay")
    void aHeaderGetsNginxs400AndTheConnectionCloses(String version, byte[] header, Delivery delivery, BufferShape shape,
                                                    int offset) {
        PeerChannel channel = httpListener();
        feed(channel, delivery.split(concat(header, bytes(REQUEST)), SEED), shape, offset);

        assertThat(new String(written(channel), US_ASCII)).isEqualTo(new String(PAGE.render(), US_ASCII));
        assertThat(channel.isOpen()).isFalse();
        assertThat(next.events).as("the next stage saw no byte").containsExactly("active", "inactive");
        assertThat(version.equals("v1") ? counters.v1Count() : counters.v2Count()).isEqualTo(1);
        assertThat(counters.total()).isEqualTo(1);
        assertThat(logger.lines).containsExactly("WARNING listener 127.0.0.1:8443, peer 127.0.0.7:40007: "
                + "received a PROXY protocol header on a listener without proxy_protocol; "
                + "add `proxy_protocol` to `listen` (or turn it off at the balancer)");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    static Stream<Arguments> requestsEveryWay() {
        List<Arguments> cases = new ArrayList<>();
        for (String request : List.of("PUT /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", "POST / HTTP/1.1\r\n\r\n",
                "PATCH /p HTTP/1.1\r\n\r\n", "PROPFIND / HTTP/1.1\r\n\r\n", "PROXY / HTTP/1.1\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", REQUEST, "\r\n\r\nGET / HTTP/1.1\r\n\r\n",
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003")) {
            for (Delivery delivery : Delivery.values()) {
                for (BufferShape shape : BufferShape.values()) {
                    for (int offset : new int[] {0, 3}) {
                        cases.add(Arguments.of(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), delivery,
                                shape, offset));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} readerIndex={3}")
    @MethodSource("requestsEveryWay")
    void anyOtherConnectionPassesByteExact(byte[] request, Delivery delivery, BufferShape shape, int offset) {
        PeerChannel channel = httpListener();
        feed(channel, delivery.split(request, SEED), shape, offset);

        assertThat(HexFormat.of().formatHex(next.received())).isEqualTo(HexFormat.of().formatHex(request));
        assertThat(channel.pipeline().get(HandlerNames.UNEXPECTED_PROXY_HEADER)).isNull();
        assertThat(written(channel)).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        assertThat(counters.total()).isZero();
        assertThat(logger.lines).isEmpty();
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT / HTTP/1.1\r\n", "POST / HTTP/1.1\r\n", "PATCH / HTTP/1.1\r\n", "PROPFIND / HTTP/1.1\r\n"})
    void byteByByteEveryByteFromTheDecidingOneOnIsPassedAtOnce(String request) {
        PeerChannel channel = httpListener();
        byte[] bytes = bytes(request);
        int decisive = request.startsWith("PROP") ? 4 : request.startsWith("PR") ? 3 : 2;
        for (int i = 0; i < bytes.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[i]}));
            int expected = i + 1 < decisive ? 0 : i + 1;
            assertThat(next.received()).as("after byte " + (i + 1)).hasSize(expected);
        }
        assertThat(next.received()).isEqualTo(bytes);
        channel.finishAndReleaseAll();
    }

    @Test
    void aFirstReadThatDecidesIsPassedOnAsTheSameBuffer() {
        ByteBuf[] seen = new ByteBuf[1];
        PeerChannel channel = PeerChannel.fromBalancer(UnexpectedHeaderStage.forHttp(PAGE, counters, log).newHandler(),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        seen[0] = (ByteBuf) msg;
                        ctx.fireChannelRead(msg);
                    }
                }, next);
        ByteBuf read = Unpooled.copiedBuffer(REQUEST, US_ASCII);
        channel.writeInbound(read);
        assertThat(seen[0]).isSameAs(read);
        channel.finishAndReleaseAll();
    }

    @Test
    void aLonePThenTheEndOfInputReachesTheNextStageBeforeTheEnd() {
        PeerChannel channel = httpListener();
        channel.writeInbound(Unpooled.copiedBuffer("P", US_ASCII));
        assertThat(next.events).containsExactly("active");
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(next.received()).isEqualTo(bytes("P"));
        assertThat(next.events).containsExactly("active", "read", "event " + ChannelInputShutdownEvent.INSTANCE);
        channel.finishAndReleaseAll();
    }

    @Test
    void aLonePThenACloseReachesTheNextStageBeforeInactive() {
        PeerChannel channel = httpListener();
        channel.writeInbound(Unpooled.copiedBuffer("PROX", US_ASCII));
        channel.close();
        assertThat(next.received()).isEqualTo(bytes("PROX"));
        assertThat(next.events).containsExactly("active", "read", "inactive");
        channel.finishAndReleaseAll();
    }

    @Test
    void withAutoReadOffItAsksForReadsWhileUndecided() {
        int[] reads = {0};
        ChannelOutboundHandlerAdapter readCounter = new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads[0]++;
                ctx.read();
            }
        };
        PeerChannel channel = PeerChannel.connected(BALANCER, LISTENER, false, readCounter,
                UnexpectedHeaderStage.forHttp(PAGE, counters, log).newHandler(), next);
        int before = reads[0];
        channel.writeInbound(Unpooled.copiedBuffer("P", US_ASCII));
        assertThat(reads[0]).as("another read for the undecided byte").isEqualTo(before + 1);
        channel.writeInbound(Unpooled.copiedBuffer("UT / HTTP/1.1\r\n\r\n", US_ASCII));
        assertThat(next.received()).isEqualTo(bytes("PUT / HTTP/1.1\r\n\r\n"));
        assertThat(reads[0]).as("the next stage decides once it has the bytes").isEqualTo(before + 1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aTlsListenerClosesWithoutAnswering() {
        PeerChannel channel = PeerChannel.fromBalancer(UnexpectedHeaderStage.forTls(counters, log).newHandler(), next);
        channel.writeInbound(Unpooled.wrappedBuffer(V2));
        assertThat(channel.isOpen()).isFalse();
        assertThat(written(channel)).isEmpty();
        assertThat(counters.v2Count()).isEqualTo(1);
        assertThat(logger.lines).singleElement().asString().contains("received a PROXY protocol header");
        channel.finishAndReleaseAll();
    }

    @Test
    void aBalancerIsWarnedAboutOnceButEveryConnectionIsCounted() {
        UnexpectedHeaderStage stage = UnexpectedHeaderStage.forHttp(PAGE, counters, log);
        InetSocketAddress other = new InetSocketAddress(PeerChannel.ip("127.0.0.8"), 40008);
        for (InetSocketAddress peer : List.of(BALANCER, new InetSocketAddress(BALANCER.getAddress(), 40009), other)) {
            PeerChannel channel = PeerChannel.connected(peer, LISTENER, true, stage.newHandler(), new Recorder());
            channel.writeInbound(Unpooled.copiedBuffer(V1, US_ASCII));
            assertThat(channel.isOpen()).isFalse();
            channel.finishAndReleaseAll();
        }
        assertThat(counters.v1Count()).isEqualTo(3);
        assertThat(logger.lines).hasSize(3);
        assertThat(logger.lines.get(0)).startsWith("WARNING ").contains("peer 127.0.0.7:40007");
        assertThat(logger.lines.get(1)).startsWith("DEBUG ").contains("peer 127.0.0.7:40009");
        assertThat(logger.lines.get(2)).startsWith("WARNING ").contains("peer 127.0.0.8:40008");
    }

    @Test
    void addFirstPutsTheHandlerFirstUnderItsName() {
        PeerChannel channel = PeerChannel.fromBalancer(next);
        UnexpectedHeaderStage.forHttp(PAGE, counters, log).addFirst(channel.pipeline());
        assertThat(channel.pipeline().first()).isInstanceOf(UnexpectedHeaderHandler.class);
        assertThat(channel.pipeline().get(HandlerNames.UNEXPECTED_PROXY_HEADER)).isNotNull();
        channel.finishAndReleaseAll();
    }
}
