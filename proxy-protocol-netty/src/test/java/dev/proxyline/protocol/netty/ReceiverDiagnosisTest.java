package dev.proxyline.protocol.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.testing.BufferShape;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.PeerChannel;
import dev.proxyline.protocol.netty.testing.Recorder;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import dev.proxyline.protocol.testing.Delivery;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A PROXY listener that gets HTTP or TLS where the header belongs says what to check, once per source. */
@ExtendWith(LeakCheck.class)
class ReceiverDiagnosisTest {
    private static final byte[] REQUEST = "PUT /upload HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(US_ASCII);
    private static final byte[] CLIENT_HELLO = HexFormat.of().parseHex("160301020001000 1fc0303".replace(" ", ""));

    private final ProxyCounters counters = new ProxyCounters();
    private final RecordingLogger refusals = new RecordingLogger();
    private final RecordingLogger diagnoses = new RecordingLogger();
    private final ProxyReceiveStage stage = new ProxyReceiveStage(
            ReceiveSettings.of(TrustPolicy.requireFromAll()).withDeadline(Duration.ofHours(1)), counters,
            new RejectionLog(refusals, Duration.ofHours(1), System::nanoTime),
            new OncePerSourceLog(diagnoses, OncePerSourceLog.Limits.DEFAULT, System::nanoTime));

    private void connect(InetSocketAddress peer, byte[] bytes, Delivery delivery) {
        Recorder next = new Recorder();
        PeerChannel channel = PeerChannel.connected(peer, PeerChannel.LISTENER, true, stage.newHandler(), next);
        for (byte[] read : delivery.split(bytes, 5)) {
            if (channel.isOpen()) {
                ByteBuf buf = BufferShape.COMPOSITE.of(read, 1);
                channel.writeInbound(buf);
            }
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(next.received()).isEmpty();
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void anHttpRequestIsRefusedCountedAndExplained(Delivery delivery) {
        connect(PeerChannel.BALANCER, REQUEST, delivery);
        assertThat(counters.refusedCount(Reason.NOT_PROXY_HTTP)).isEqualTo(1);
        assertThat(diagnoses.lines).containsExactly("WARNING listener 127.0.0.1:8443: expected a PROXY protocol header"
                + " from 127.0.0.7:40007 but got an HTTP request; is the balancer sending it?");
        assertThat(refusals.lines).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void aTlsClientHelloIsRefusedCountedAndExplained(Delivery delivery) {
        connect(PeerChannel.BALANCER, CLIENT_HELLO, delivery);
        assertThat(counters.refusedCount(Reason.NOT_PROXY_TLS)).isEqualTo(1);
        assertThat(diagnoses.lines).containsExactly("WARNING listener 127.0.0.1:8443: expected a PROXY protocol header"
                + " from 127.0.0.7:40007 but got a TLS ClientHello; is the balancer sending it?");
    }

    @Test
    void eachSourceIsExplainedOnceAndEveryConnectionCounted() {
        connect(PeerChannel.BALANCER, REQUEST, Delivery.ALL_AT_ONCE);
        connect(new InetSocketAddress(PeerChannel.BALANCER.getAddress(), 40100), CLIENT_HELLO, Delivery.ALL_AT_ONCE);
        connect(new InetSocketAddress(PeerChannel.ip("::1"), 40200), REQUEST, Delivery.ALL_AT_ONCE);

        assertThat(counters.refusedCount(Reason.NOT_PROXY_HTTP)).isEqualTo(2);
        assertThat(counters.refusedCount(Reason.NOT_PROXY_TLS)).isEqualTo(1);
        assertThat(diagnoses.lines).hasSize(3);
        assertThat(diagnoses.lines.get(0)).startsWith("WARNING ");
        assertThat(diagnoses.lines.get(1)).startsWith("DEBUG ").contains("from 127.0.0.7:40100", "TLS ClientHello");
        assertThat(diagnoses.lines.get(2)).startsWith("WARNING ").contains("from [::1]:40200");
    }

    @Test
    void otherRefusalsStillGoToTheRateLimitedLog() {
        connect(PeerChannel.BALANCER, "SSH-2.0-x\r\n".getBytes(US_ASCII), Delivery.ALL_AT_ONCE);
        assertThat(counters.refusedCount(Reason.NOT_PROXY)).isEqualTo(1);
        assertThat(diagnoses.lines).isEmpty();
        assertThat(refusals.lines).singleElement().asString().contains("not_proxy");
    }
}
