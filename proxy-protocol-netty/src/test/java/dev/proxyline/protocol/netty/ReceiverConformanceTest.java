package dev.proxyline.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.netty.testing.BufferShape;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.PeerChannel;
import dev.proxyline.protocol.netty.testing.Recorder;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import dev.proxyline.protocol.testing.Delivery;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public decode vector through the receive handler, under every delivery, in heap, direct
 * and composite buffers, at reader index 0 and 3.
 */
@ExtendWith(LeakCheck.class)
class ReceiverConformanceTest {
    private static final long SEED = 20261126L;
    private static final RejectionLog QUIET = new RejectionLog(new RecordingLogger(), Duration.ofHours(1), System::nanoTime);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ConformanceVector vector : ConformanceVectors.decodeVectors().toList()) {
            for (Delivery delivery : Delivery.values()) {
                for (BufferShape shape : BufferShape.values()) {
                    for (int offset : new int[] {0, 3}) {
                        cases.add(Arguments.of(vector, delivery, shape, offset));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} readerIndex={3}")
    @MethodSource("cases")
    void vectorGetsItsVerdictAndPayloadPassesUnchanged(ConformanceVector vector, Delivery delivery, BufferShape shape,
                                                       int offset) {
        ProxyCounters counters = new ProxyCounters();
        // The largest headers the protocol allows: the vectors include headers above the default cap.
        ReceiveSettings settings = ReceiveSettings.of(TrustPolicy.requireFromAll())
                .withDeadline(Duration.ofHours(1)).withMaxHeaderLength(ProxyHeaderDecoder.V2_MAX_LENGTH);
        ProxyReceiveStage stage = new ProxyReceiveStage(settings, counters, QUIET);
        Recorder next = new Recorder();
        PeerChannel channel = PeerChannel.fromBalancer(stage.newHandler(), next);

        List<ByteBuf> sent = new ArrayList<>();
        List<byte[]> reads = vector.chunks().isEmpty() || delivery != Delivery.ALL_AT_ONCE
                ? delivery.split(vector.bytes(), SEED) : vector.chunks();
        for (byte[] read : reads) {
            ByteBuf buf = shape.of(read, offset);
            sent.add(buf);
            if (channel.isOpen()) {
                channel.writeInbound(buf.retain());
            }
            buf.release();
        }
        boolean openBeforeEof = channel.isOpen();
        if (vector.eof()) {
            channel.close();
        }
        channel.finishAndReleaseAll();

        String where = vector.name() + " " + delivery + " " + shape + " readerIndex=" + offset + ": ";
        assertThat(sent).as(where + "every read released").allMatch(b -> b.refCnt() == 0);
        boolean accepted = next.connection != null;
        if (vector.expectPending()) {
            assertThat(accepted).as(where + "pending").isFalse();
            assertThat(openBeforeEof).as(where + "open while pending").isTrue();
            assertThat(next.received()).isEmpty();
            return;
        }
        if (accepted) {
            assertThat(vector.mayAccept()).as(where + "accepted, but the vector must be rejected").isTrue();
            assertAccepted(where, vector, next);
        } else {
            assertThat(vector.mayReject()).as(where + "rejected, but the vector must be accepted (counters: internal errors "
                    + counters.internalErrorCount() + ")").isTrue();
            assertThat(next.events).as(where + "nothing reaches the next stage").doesNotContain("active", "read");
            assertThat(next.received()).isEmpty();
            assertThat(counters.refusedTotal()).as(where + "refusals counted (internal errors "
                    + counters.internalErrorCount() + ")").isEqualTo(1);
        }
    }

    private static void assertAccepted(String where, ConformanceVector vector, Recorder next) {
        assertThat(next.events.subList(0, 2)).as(where + "events").containsExactly("active", "connection");
        JsonNode expect = vector.expect().orElseThrow();
        int headerLength = expect.path("headerLength").asInt();
        byte[] payload = Arrays.copyOfRange(vector.bytes(), headerLength, vector.bytes().length);
        assertThat(HexFormat.of().formatHex(next.received())).as(where + "payload after the header")
                .isEqualTo(HexFormat.of().formatHex(payload));
        if (expect.hasNonNull("trailingPayloadHex")) {
            assertThat(HexFormat.of().formatHex(next.received())).isEqualTo(expect.path("trailingPayloadHex").asText());
        }
        ProxiedConnection connection = next.connection;
        assertThat(connection.header()).isPresent();
        assertThat(connection.peer()).isEqualTo(PeerChannel.BALANCER);
        boolean ip = expect.path("family").asText().matches("TCP4|TCP6|UDP4|UDP6");
        if (expect.path("useConnectionAddresses").asBoolean(false) || !ip) {
            assertThat(connection.client()).isEqualTo(PeerChannel.BALANCER);
            assertThat(connection.destination()).isEqualTo(PeerChannel.LISTENER);
        } else {
            assertSameAddress(connection.client(), expect.path("src").asText(), expect.path("srcPort").asInt());
            assertSameAddress(connection.destination(), expect.path("dst").asText(), expect.path("dstPort").asInt());
        }
    }

    static Stream<Arguments> captures() {
        List<Arguments> cases = new ArrayList<>();
        for (ConformanceVectors.Capture capture : ConformanceVectors.captures()) {
            for (Delivery delivery : Delivery.values()) {
                cases.add(Arguments.of(capture, delivery));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("captures")
    void headersCapturedFromRealPeersAreAccepted(ConformanceVectors.Capture capture, Delivery delivery) {
        ProxyCounters counters = new ProxyCounters();
        ProxyReceiveStage stage = new ProxyReceiveStage(ReceiveSettings.of(TrustPolicy.requireFromAll()), counters, QUIET);
        Recorder next = new Recorder();
        PeerChannel channel = PeerChannel.fromBalancer(stage.newHandler(), next);
        for (byte[] read : delivery.split(capture.bytes(), SEED)) {
            channel.writeInbound(BufferShape.HEAP.of(read, 0));
        }
        assertThat(next.connection).as(capture.name() + " accepted").isNotNull();
        int length = ((dev.proxyline.protocol.DecodeResult.Complete) new ProxyHeaderDecoder().decode(capture.bytes())).length();
        assertThat(next.received()).isEqualTo(Arrays.copyOfRange(capture.bytes(), length, capture.bytes().length));
        channel.finishAndReleaseAll();
    }

    private static void assertSameAddress(java.net.SocketAddress actual, String address, int port) {
        assertThat(actual).isInstanceOf(InetSocketAddress.class);
        InetSocketAddress inet = (InetSocketAddress) actual;
        // Compare bytes: an IPv4-mapped address must stay 16 bytes long, as the header announced.
        assertThat(inet.getAddress().getAddress()).isEqualTo(InetLiterals.parseOrThrow(address, "expected").getAddress());
        assertThat(inet.getPort()).isEqualTo(port);
    }
}
