package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.BALANCER;
import static dev.proxyline.protocol.netty.testing.PeerChannel.LISTENER;
import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.PeerChannel;
import dev.proxyline.protocol.netty.testing.Recorder;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class ReceiverBehaviourTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.7"), 51234);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(ip("10.0.0.30"), 443);
    private static final byte[] V1 = "PROXY TCP4 203.0.113.7 10.0.0.30 51234 443\r\n".getBytes(US_ASCII);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII);

    private final ProxyCounters counters = new ProxyCounters();
    private final RecordingLogger logger = new RecordingLogger();
    private final Recorder next = new Recorder();

    private ProxyReceiveStage stage(TrustPolicy trust, Duration deadline) {
        RejectionLog log = new RejectionLog(logger, Duration.ofHours(1), System::nanoTime);
        return new ProxyReceiveStage(ReceiveSettings.of(trust).withDeadline(deadline), counters, log);
    }

    private PeerChannel channel(TrustPolicy trust) {
        return PeerChannel.fromBalancer(stage(trust, Duration.ofHours(1)).newHandler(), next);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void nextStageSeesActiveThenConnectionThenTheBytesAfterTheHeader() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(V1, REQUEST)));

        assertThat(next.events).containsExactly("active", "connection", "read");
        assertThat(next.received()).isEqualTo(REQUEST);
        ProxiedConnection connection = channel.attr(ProxyAttributes.CONNECTION).get();
        assertThat(connection).isSameAs(next.connection);
        assertThat(connection.client()).isEqualTo(CLIENT);
        assertThat(connection.destination()).isEqualTo(SERVICE);
        assertThat(connection.peer()).isEqualTo(BALANCER);
        assertThat(connection.local()).isEqualTo(LISTENER);
        assertThat(channel.pipeline().get(HandlerNames.PROXY_RECEIVE)).isNull();
        assertThat(counters.acceptedCount(ProtocolVersion.V1)).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aNextStageIsInstalledOnceWithTheConnectionAndThenSeesActiveConnectionAndBytes() {
        List<ProxiedConnection> installed = new ArrayList<>();
        NextStage nextStage = (ctx, connection) -> {
            installed.add(connection);
            assertThat(ctx.channel().attr(ProxyAttributes.CONNECTION).get()).isSameAs(connection);
            ctx.pipeline().addLast(next);
        };
        PeerChannel channel = PeerChannel.fromBalancer(
                stage(TrustPolicy.requireFromAll(), Duration.ofHours(1)).newHandler(nextStage));
        channel.writeInbound(Unpooled.wrappedBuffer(V1, 0, 10));
        assertThat(installed).isEmpty();

        channel.writeInbound(Unpooled.wrappedBuffer(concat(java.util.Arrays.copyOfRange(V1, 10, V1.length), REQUEST)));
        assertThat(installed).hasSize(1);
        assertThat(installed.get(0).client()).isEqualTo(CLIENT);
        assertThat(next.events).containsExactly("active", "connection", "read");
        assertThat(next.connection).isSameAs(installed.get(0));
        assertThat(next.received()).isEqualTo(REQUEST);
        assertThat(channel.pipeline().get(HandlerNames.PROXY_RECEIVE)).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aNextStageThatFailsToInstallClosesTheConnectionAsAnInternalError() {
        NextStage failing = (ctx, connection) -> {
            throw new IllegalStateException("no handler for this connection");
        };
        PeerChannel channel = PeerChannel.fromBalancer(
                stage(TrustPolicy.requireFromAll(), Duration.ofHours(1)).newHandler(failing), next);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(V1, REQUEST)));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.internalErrorCount()).isEqualTo(1);
        assertThat(next.events).containsExactly("inactive");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void nothingIsPassedOnWhileTheHeaderIsIncomplete() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound(Unpooled.wrappedBuffer(V1, 0, 20));

        assertThat(next.events).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(concat(java.util.Arrays.copyOfRange(V1, 20, V1.length), REQUEST)));
        assertThat(next.received()).isEqualTo(REQUEST);
        channel.finishAndReleaseAll();
    }

    @Test
    void withAutoReadOffItAsksForReadsUntilTheHeaderIsComplete() {
        int[] reads = {0};
        ChannelOutboundHandlerAdapter readCounter = new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads[0]++;
                ctx.read();
            }
        };
        PeerChannel channel = PeerChannel.connected(BALANCER, LISTENER, false, readCounter,
                stage(TrustPolicy.requireFromAll(), Duration.ofHours(1)).newHandler(), next);
        assertThat(reads[0]).as("a read to start with").isEqualTo(1);

        channel.writeInbound(Unpooled.wrappedBuffer(V1, 0, 10));
        assertThat(reads[0]).as("another after each incomplete read").isEqualTo(2);
        channel.writeInbound(Unpooled.wrappedBuffer(V1, 10, V1.length - 10));
        assertThat(next.events).containsExactly("active", "connection");
        assertThat(reads[0]).as("none once the header is in: the next stage decides").isEqualTo(2);
        channel.finishAndReleaseAll();
    }

    @Test
    void aHeaderLateForTheDeadlineClosesTheConnection() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.freezeTime();
        channel.writeInbound(Unpooled.wrappedBuffer(V1, 0, 10));
        channel.advanceTimeBy(59, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.TIMEOUT)).isEqualTo(1);
        assertThat(next.events).containsExactly("inactive");
        channel.finishAndReleaseAll();
    }

    @Test
    void theDeadlineIsCancelledOnceTheHeaderIsIn() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.freezeTime();
        channel.writeInbound(Unpooled.wrappedBuffer(V1));
        channel.advanceTimeBy(2, TimeUnit.HOURS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(counters.refusedTotal()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void halfClosureInsideTheHeaderIsTruncated() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound(Unpooled.wrappedBuffer(V1, 0, 30));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.TRUNCATED)).isEqualTo(1);
        assertThat(next.events).containsExactly("inactive");
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsEmpty() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.close();
        assertThat(counters.refusedCount(Reason.EMPTY)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void anInvalidHeaderClosesTheConnectionAndIsCountedAndLoggedOnceWithThePeer() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 203.0.113.7 10.0.0.30 051234 443\r\nGET /", US_ASCII));

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.V1_BAD_PORT)).isEqualTo(1);
        assertThat(next.events).containsExactly("inactive");
        assertThat(logger.lines).hasSize(1);
        assertThat(logger.lines.get(0)).startsWith("INFO ").contains("127.0.0.7:40007", "v1_bad_port", "offset")
                .doesNotContain("!thrown");
        channel.finishAndReleaseAll();
    }

    @Test
    void aV2HeaderLongerThanTheMaximumIsRefusedWithoutWaitingForIt() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        byte[] fixed = java.util.HexFormat.of().parseHex("0d0a0d0a000d0a515549540a2111ffff");
        channel.writeInbound(Unpooled.wrappedBuffer(fixed));
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.V2_TOO_LONG)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void rejectedSourcesAreClosedBeforeAnyRead() {
        PeerChannel channel = channel(TrustPolicy.builder().trust("10.0.0.0/8").build());
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.UNTRUSTED)).isEqualTo(1);
        assertThat(logger.lines.get(0)).contains("127.0.0.7:40007", "untrusted");
        channel.finishAndReleaseAll();
    }

    @Test
    void ignoredSourcesHaveTheirHeaderStrippedButKeepTheSocketAddress() {
        PeerChannel channel = channel(TrustPolicy.builder().otherwise(HeaderPolicy.IGNORE).build());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(V1, REQUEST)));

        assertThat(next.received()).isEqualTo(REQUEST);
        assertThat(next.connection.header()).isPresent();
        assertThat(next.connection.client()).isEqualTo(BALANCER);
        assertThat(next.connection.destination()).isEqualTo(LISTENER);
        channel.finishAndReleaseAll();
    }

    @Test
    void ignoredSourcesMustStillSendAHeader() {
        PeerChannel channel = channel(TrustPolicy.builder().otherwise(HeaderPolicy.IGNORE).build());
        channel.writeInbound(Unpooled.wrappedBuffer(REQUEST));
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.NOT_PROXY_HTTP)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void optionalSourcesWithoutAHeaderArePassedOnUnchangedEvenAcrossReads() {
        PeerChannel channel = channel(TrustPolicy.builder().rule("127.0.0.0/8", HeaderPolicy.OPTIONAL).build());
        // "P" could start a v1 header, so it is held until the next read decides.
        channel.writeInbound(Unpooled.copiedBuffer("P", US_ASCII));
        assertThat(next.events).isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer("OST / HTTP/1.1\r\n\r\n", US_ASCII));

        assertThat(new String(next.received(), US_ASCII)).isEqualTo("POST / HTTP/1.1\r\n\r\n");
        assertThat(next.connection.header()).isEmpty();
        assertThat(next.connection.client()).isEqualTo(BALANCER);
        assertThat(counters.withoutHeaderCount()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void optionalSourcesThatSendAHeaderAreBelieved() {
        PeerChannel channel = channel(TrustPolicy.builder().rule("127.0.0.7", HeaderPolicy.OPTIONAL).build());
        channel.writeInbound(Unpooled.wrappedBuffer(V1));
        assertThat(next.connection.client()).isEqualTo(CLIENT);
        channel.finishAndReleaseAll();
    }

    @Test
    void optionalSourcesStillHaveBrokenHeadersRefused() {
        PeerChannel channel = channel(TrustPolicy.builder().rule("127.0.0.7", HeaderPolicy.OPTIONAL).build());
        channel.writeInbound(Unpooled.copiedBuffer("PROXY TCP5 x\r\n", US_ASCII));
        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.refusedCount(Reason.V1_BAD_PROTOCOL)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aLocalHeaderIsCountedApartAndKeepsTheSocketAddresses() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound(Unpooled.wrappedBuffer(ProxyHeaderEncoder.encode(ProxyHeader.local(ProtocolVersion.V2, List.of()))));

        assertThat(counters.localCount()).isEqualTo(1);
        assertThat(counters.acceptedCount(ProtocolVersion.V2)).isZero();
        assertThat(next.connection.client()).isEqualTo(BALANCER);
        channel.finishAndReleaseAll();
    }

    @Test
    void aV2HeaderFromATrustedSourceSetsTheClient() {
        PeerChannel channel = channel(TrustPolicy.builder().trust("127.0.0.0/24").build());
        channel.writeInbound(Unpooled.wrappedBuffer(concat(
                ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2, CLIENT, SERVICE)), REQUEST)));

        assertThat(next.connection.client()).isEqualTo(CLIENT);
        assertThat(next.received()).isEqualTo(REQUEST);
        assertThat(counters.acceptedCount(ProtocolVersion.V2)).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesStillInFlightAfterARefusalAreReleased() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        ProxyHeaderReceiver receiver = (ProxyHeaderReceiver) channel.pipeline().first();
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        channel.writeInbound(Unpooled.copiedBuffer("HELO", US_ASCII));
        io.netty.buffer.ByteBuf late = Unpooled.copiedBuffer("more", US_ASCII);
        receiver.channelRead(ctx, late);
        assertThat(late.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFaultOnThisSideClosesTheConnectionAndIsCountedApart() {
        PeerChannel channel = channel(TrustPolicy.requireFromAll());
        channel.writeInbound("not a buffer");

        assertThat(channel.isOpen()).isFalse();
        assertThat(counters.internalErrorCount()).isEqualTo(1);
        assertThat(counters.refusedTotal()).isZero();
        assertThat(logger.lines).singleElement().asString().startsWith("WARNING ").endsWith("!thrown");
        channel.finishAndReleaseAll();
    }
}
