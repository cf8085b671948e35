package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of balancers: nginx stream ({@code proxy_protocol on}, v1) → proxyline hop 1 (receives,
 * sends v1) → proxyline hop 2 (receives, sends v2) → backend. Every hop trusts only the hop before
 * it, and the backend still gets the first client, 127.0.0.7.
 */
@Timeout(30)
class NginxStreamChainTest {
    private static final String PAYLOAD = "through three balancers\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void aChainOfNginxAndTwoProxylineHopsKeepsTheFirstClient() throws Exception {
        InetSocketAddress nginxListen = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress hop1 = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress hop2 = Loopback.freePort(Loopback.PROXYLINE);
        try (ProxyReceiver backend = ProxyReceiver.start(ProxyReceiver.bytes(PAYLOAD.length()), "ok\n");
             Proxyline proxyline = Proxyline.start(directory, """
                     stream {
                         log_format hop '$remote_addr:$remote_port peer=$realip_remote_addr $status';
                         server {
                             listen %s proxy_protocol;
                             set_real_ip_from 127.0.0.2;
                             proxy_bind 127.0.0.4;
                             proxy_protocol on;
                             proxy_pass %s;
                             access_log hop1.log hop;
                         }
                         server {
                             listen %s proxy_protocol;
                             set_real_ip_from 127.0.0.4;
                             proxy_bind 127.0.0.4;
                             proxy_protocol on;
                             proxy_protocol_version 2;
                             proxy_pass %s;
                             access_log hop2.log hop;
                         }
                     }
                     """.formatted(Loopback.hostPort(hop1), Loopback.hostPort(hop2), Loopback.hostPort(hop2),
                     Loopback.hostPort(backend.address())));
             NginxPeer nginx = NginxPeer.start(Files.createDirectory(directory.resolve("nginx")), """
                     stream {
                         server {
                             listen %s;
                             proxy_bind 127.0.0.2;
                             proxy_protocol on;
                             proxy_pass %s;
                         }
                     }
                     """.formatted(Loopback.hostPort(nginxListen), Loopback.hostPort(hop1)), List.of(nginxListen))) {

            RawClient.Exchange exchange = RawClient.exchange(nginxListen, PAYLOAD);
            ProxyReceiver.Received received = backend.nextFrom(exchange.client(), WAIT);

            assertThat(exchange.text()).isEqualTo("ok\n");
            ProxyHeader header = received.header();
            assertThat(header.version()).isEqualTo(ProtocolVersion.V2);
            assertThat(header.sourceAddress()).contains(exchange.client());
            // Each hop passes on the destination it was told, so the backend learns nginx's listen address.
            assertThat(header.destinationAddress()).contains(nginxListen);
            assertThat(received.sender().getAddress()).isEqualTo(Loopback.PROXYLINE);
            assertThat(received.payloadText()).isEqualTo(PAYLOAD);
            String client = Loopback.hostPort(exchange.client());
            assertThat(proxyline.awaitLine("hop1.log", line -> line.startsWith(client), WAIT))
                    .isEqualTo(client + " peer=127.0.0.2 200");
            assertThat(proxyline.awaitLine("hop2.log", line -> line.startsWith(client), WAIT))
                    .isEqualTo(client + " peer=127.0.0.4 200");
        }
    }

    /**
     * The misconfiguration "header sent, not expected" at an L4 hop: neither nginx's stream module
     * nor proxyline looks at the bytes of a listener without {@code proxy_protocol}, so the PROXY line
     * reaches the backend as payload, and whoever parses it next decides what it means.
     */
    @Test
    void aStreamListenerWithoutProxyProtocolRelaysTheHeaderAsPayloadInNginxAsInProxyline() throws Exception {
        InetSocketAddress nginxListen = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineListen = Loopback.freePort(Loopback.PROXYLINE);
        String sent = "PROXY TCP4 203.0.113.7 10.0.0.30 51234 80\r\n" + PAYLOAD;
        try (ProxyReceiver backend = ProxyReceiver.start(ProxyReceiver.bytes(PAYLOAD.length()), "ok\n");
             Proxyline proxyline = Proxyline.start(directory, """
                     stream {
                         server {
                             listen %s;
                             proxy_pass %s;
                         }
                     }
                     """.formatted(Loopback.hostPort(proxylineListen), Loopback.hostPort(backend.address())));
             NginxPeer nginx = NginxPeer.start(Files.createDirectory(directory.resolve("nginx")), """
                     stream {
                         server {
                             listen %s;
                             proxy_pass %s;
                         }
                     }
                     """.formatted(Loopback.hostPort(nginxListen), Loopback.hostPort(backend.address())),
                     List.of(nginxListen))) {
            // The readiness probes reach the backend as empty connections; nextFrom skips them.
            InetSocketAddress claimed = new InetSocketAddress("203.0.113.7", 51234);

            for (InetSocketAddress hop : List.of(nginxListen, proxylineListen)) {
                RawClient.Exchange exchange = RawClient.exchange(hop, sent);
                ProxyReceiver.Received received = backend.nextFrom(claimed, WAIT);

                assertThat(exchange.text()).as("through " + hop).isEqualTo("ok\n");
                assertThat(new String(received.bytes(), StandardCharsets.ISO_8859_1)).as("through " + hop).isEqualTo(sent);
            }
        }
    }
}
