package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.HeaderReception.Accept;
import dev.proxyline.protocol.netty.HeaderReception.PassOn;
import dev.proxyline.protocol.netty.HeaderReception.Refuse;
import dev.proxyline.protocol.netty.HeaderReception.Wait;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdicts, counters and log lines both PROXY readers share, without a network or a pipeline. */
class HeaderReceptionTest {
    private static final InetSocketAddress BALANCER = new InetSocketAddress(ip("127.0.0.7"), 40007);
    private static final InetSocketAddress LISTENER = new InetSocketAddress(ip("::1"), 8443);
    private static final byte[] V1 = "PROXY TCP4 203.0.113.7 10.0.0.30 51234 443\r\n".getBytes(US_ASCII);

    private final ProxyCounters counters = new ProxyCounters();
    private final RecordingLogger refusals = new RecordingLogger();
    private final RecordingLogger diagnoses = new RecordingLogger();

    private HeaderReception reception(TrustPolicy trust) {
        return new HeaderReception(ReceiveSettings.of(trust).withDeadline(Duration.ofMillis(1500)), counters,
                new RejectionLog(refusals, Duration.ofHours(1), System::nanoTime),
                new OncePerSourceLog(diagnoses, OncePerSourceLog.Limits.DEFAULT, System::nanoTime));
    }

    private DecodeResult decode(HeaderReception reception, String bytes) {
        return reception.decoder().decode(bytes.getBytes(US_ASCII));
    }

    @Test
    void aRejectedSourceIsRefusedBeforeAnyByteOthersAreNot() {
        HeaderReception reception = reception(TrustPolicy.builder().rule("127.0.0.7/32", HeaderPolicy.REJECT)
                .otherwise(HeaderPolicy.REQUIRE).build());
        assertThat(reception.policyFor(BALANCER)).isEqualTo(HeaderPolicy.REJECT);
        assertThat(reception.beforeReading(HeaderPolicy.REJECT)).map(Refuse::reason).contains(Reason.UNTRUSTED);
        assertThat(reception.beforeReading(HeaderPolicy.REQUIRE)).isEmpty();
        assertThat(reception.policyFor(new InetSocketAddress(ip("127.0.0.8"), 1))).isEqualTo(HeaderPolicy.REQUIRE);
    }

    @Test
    void aCompleteHeaderIsAcceptedWithItsLength() {
        HeaderReception reception = reception(TrustPolicy.requireFromAll());
        var verdict = reception.judge(reception.decoder().decode(V1), HeaderPolicy.REQUIRE);
        assertThat(verdict).isInstanceOfSatisfying(Accept.class,
                accept -> assertThat(accept.complete().length()).isEqualTo(V1.length));
    }

    @Test
    void bytesThatAreNoHeaderPassOnOnlyFromAnOptionalSource() {
        HeaderReception reception = reception(TrustPolicy.builder().rule("127.0.0.0/8", HeaderPolicy.OPTIONAL).build());
        DecodeResult http = decode(reception, "GET / HTTP/1.1\r\n");
        assertThat(reception.judge(http, HeaderPolicy.OPTIONAL)).isInstanceOf(PassOn.class);
        assertThat(reception.judge(http, HeaderPolicy.REQUIRE)).isEqualTo(
                new Refuse(Reason.NOT_PROXY_HTTP, ((DecodeResult.Invalid) http).message()));
        // A broken header is refused whatever the policy: the source meant to send one.
        assertThat(reception.judge(decode(reception, "PROXY TCP5 x\r\n"), HeaderPolicy.OPTIONAL))
                .isInstanceOf(Refuse.class);
        assertThat(reception.judge(decode(reception, "PROX"), HeaderPolicy.OPTIONAL)).isInstanceOf(Wait.class);
    }

    @Test
    void lateAndEndedConnectionsSayHowFarTheyGot() {
        HeaderReception reception = reception(TrustPolicy.requireFromAll());
        assertThat(reception.late(6)).isEqualTo(
                new Refuse(Reason.TIMEOUT, "no complete PROXY header within 1500 ms (6 bytes received)"));
        assertThat(reception.endOfInput(0).reason()).isEqualTo(Reason.EMPTY);
        assertThat(reception.endOfInput(11)).isEqualTo(
                new Refuse(Reason.TRUNCATED, "connection closed after 11 bytes, inside the PROXY header"));
    }

    @Test
    void aRefusalIsCountedAndLoggedWithBothAddressesAndAnHttpRequestGetsTheDiagnosisInstead() {
        HeaderReception reception = reception(TrustPolicy.requireFromAll());
        reception.refuse(reception.endOfInput(11), BALANCER, LISTENER);
        reception.refuse((Refuse) reception.judge(decode(reception, "GET / HTTP/1.1\r\n"), HeaderPolicy.REQUIRE),
                BALANCER, LISTENER);

        assertThat(counters.refusedCount(Reason.TRUNCATED)).isEqualTo(1);
        assertThat(counters.refusedCount(Reason.NOT_PROXY_HTTP)).isEqualTo(1);
        assertThat(refusals.lines).containsExactly("INFO PROXY listener refused connection from 127.0.0.7:40007 to"
                + " [::1]:8443: " + Reason.TRUNCATED.label() + ": connection closed after 11 bytes, inside the PROXY header");
        assertThat(diagnoses.lines).containsExactly("WARNING listener [::1]:8443: expected a PROXY protocol header from"
                + " 127.0.0.7:40007 but got an HTTP request; is the balancer sending it?");
    }

    @Test
    void anAcceptedConnectionIsCountedByVersionOrAsWithoutHeader() {
        HeaderReception reception = reception(TrustPolicy.requireFromAll());
        Accept accept = (Accept) reception.judge(reception.decoder().decode(V1), HeaderPolicy.REQUIRE);
        ProxiedConnection connection = reception.accept(BALANCER, LISTENER, HeaderPolicy.REQUIRE,
                Optional.of(accept.complete().header()));
        ProxiedConnection without = reception.accept(BALANCER, LISTENER, HeaderPolicy.OPTIONAL, Optional.empty());

        assertThat(connection.client()).isEqualTo(new InetSocketAddress(ip("203.0.113.7"), 51234));
        assertThat(without.client()).isEqualTo(BALANCER);
        assertThat(counters.acceptedCount(ProtocolVersion.V1)).isEqualTo(1);
        assertThat(counters.withoutHeaderCount()).isEqualTo(1);
    }
}
