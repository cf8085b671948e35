package dev.proxyline.server.runtime;

import static dev.proxyline.server.variables.Sessions.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.server.accesslog.AccessLogWriter;
import dev.proxyline.server.accesslog.SessionLog;
import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.Peer;
import dev.proxyline.server.upstream.Selection;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Sessions;
import dev.proxyline.server.variables.UpstreamAttempt;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the glue does for one session, without sockets: the pieces fit and give nginx's results. */
class GlueSketchTest {
    @TempDir
    Path dir;

    @Test
    void sessionThroughATrustedBalancerIsForwardedAndLoggedWithTheRealClient() throws Exception {
        String config = """
                stream {
                    log_format proxy '$remote_addr $realip_remote_addr $proxy_protocol_addr "$upstream_addr" $status';
                    upstream k8s { server 10.0.0.31:443; }
                    server {
                        listen 443 proxy_protocol;
                        set_real_ip_from 10.0.0.0/8;
                        proxy_protocol on;
                        access_log stream.log proxy;
                        proxy_pass k8s;
                    }
                }
                """;
        LoadResult loaded = ConfigLoader.parse("glue.conf", config, dir);
        assertThat(loaded.errors()).isEmpty();
        RuntimePlanner planner = new RuntimePlanner(Sessions.table(), HostResolver.system(), System::nanoTime,
                new SplittableRandom(1), dir);
        RuntimePlan plan = planner.plan(((LoadResult.Loaded) loaded).config()).get(0);

        // What the PROXY stage of the listener would record for a balancer at 10.0.0.5.
        ReceiveSettings receive = plan.listeners().get(0).receive().orElseThrow();
        InetSocketAddress balancer = Sessions.BALANCER;
        ProxyHeader received = ProxyHeader.tcp(ProtocolVersion.V1, Sessions.CLIENT, Sessions.CLIENT_DESTINATION);
        ProxiedConnection connection = ProxiedConnection.of(balancer, Sessions.LOCAL,
                receive.trust().policyFor(balancer.getAddress()), Optional.of(received));
        SessionSnapshot.Builder session = SessionSnapshot.builder(1, balancer, Sessions.LOCAL).proxied(connection)
                .startMillis(NOW);

        AttemptSequence attempts = ((UpstreamPlan) plan.upstream()).begin(() -> session.snapshot(NOW));
        Peer peer = ((Selection.Chosen) attempts.next()).peer();
        ProxyHeader sent = plan.send().orElseThrow().headerFor(session.snapshot(NOW));
        assertThat(new String(ProxyHeaderEncoder.encode(sent), StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 203.0.113.7 198.51.100.1 51234 8443\r\n");
        attempts.succeed();
        session.upstream(UpstreamAttempt.connected(peer.name(), 1)).status(200);

        try (AccessLogWriter writer = AccessLogWriter.start()) {
            SessionLog log = writer.register(plan.accessLogs());
            assertThat(log.log(session.snapshot(NOW + 10))).isTrue();
        }
        assertThat(Files.readAllLines(dir.resolve("stream.log")))
                .isEqualTo(List.of("203.0.113.7 10.0.0.5 203.0.113.7 \"10.0.0.31:443\" 200"));
    }
}
