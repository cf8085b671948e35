package dev.proxyline.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamProxyRejectTest {

    /** Each instant() call advances 5 ms, so durations are exact and independent of the machine. */
    static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            Instant t = now;
            now = now.plusMillis(5);
            return t;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void rejectedClientIsClosedAndReportedWithTheGivenStatus() throws Exception {
        SessionOutcome o = runOne((proxy, ch) -> proxy.reject(ch, SessionStatus.FORBIDDEN, "access denied by rule 3"),
                c -> c.eventLoop().newFailedFuture(new AssertionError("must not connect")));
        assertThat(o.status().code()).isEqualTo(403);
        assertThat(o.end()).isEqualTo(SessionEnd.REJECTED);
        assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).contains("access denied by rule 3"));
        assertThat(o.upstream()).isEmpty();
        assertThat(o.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(o.duration()).isPositive();
    }

    @Test
    void connectorRejectionChoosesTheStatus() throws Exception {
        SessionOutcome o = runOne(StreamProxy::handle, c -> c.eventLoop().newFailedFuture(
                new SessionRejectedException(SessionStatus.SERVICE_UNAVAILABLE, "no live server in k8s-http")));
        assertThat(o.status().code()).isEqualTo(503);
        assertThat(o.end()).isEqualTo(SessionEnd.REJECTED);
        assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).contains("no live server in k8s-http"));
    }

    @Test
    void connectorFailureIsA502WithTheCause() throws Exception {
        SessionOutcome o = runOne(StreamProxy::handle,
                c -> c.eventLoop().newFailedFuture(new java.net.ConnectException("Connection refused")));
        assertThat(o.status()).isEqualTo(SessionStatus.BAD_GATEWAY);
        assertThat(o.end()).isEqualTo(SessionEnd.CONNECT_FAILED);
        assertThat(o.error()).hasValueSatisfying(e -> assertThat(e).contains("ConnectException"));
        assertThat(o.connectTime()).isEmpty();
    }

    @Test
    void connectorThrowingIsA502NotAStuckSession() throws Exception {
        SessionOutcome o = runOne(StreamProxy::handle, c -> {
            throw new IllegalStateException("balancer bug");
        });
        assertThat(o.status()).isEqualTo(SessionStatus.BAD_GATEWAY);
    }

    private static SessionOutcome runOne(
            BiFunction<StreamProxy, Channel, Future<SessionOutcome>> action, UpstreamConnector connector)
            throws Exception {
        StreamProxy proxy = new StreamProxy(RelayOptions.defaults(), connector, UpstreamPreface.NONE, new SteppingClock());
        BlockingQueue<Future<SessionOutcome>> outcomes = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(Transport.best(), WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(ProxyHarness.LOOPBACK, 0)),
                            ch -> outcomes.add(action.apply(proxy, ch)))
                    .sync().channel();
            try (Socket client = new Socket()) {
                client.setSoTimeout(10_000);
                client.connect(listener.localAddress());
                Future<SessionOutcome> f = outcomes.poll(10, TimeUnit.SECONDS);
                assertThat(f).isNotNull();
                assertThat(f.await(10, TimeUnit.SECONDS)).isTrue();
                int read;
                try {
                    read = client.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("client is closed").isEqualTo(-1);
                return f.getNow();
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void relayOptionsDefaultsFollowNginx() {
        RelayOptions d = RelayOptions.defaults();
        assertThat(d.bufferSize()).isEqualTo(16 * 1024);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.waterMark().high()).isGreaterThanOrEqualTo(d.bufferSize());
        assertThat(d.splice()).isTrue();
        assertThat(d.halfClose()).as("proxy_half_close is off in nginx").isFalse();
    }
}
