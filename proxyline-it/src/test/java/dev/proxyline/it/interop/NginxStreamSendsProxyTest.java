package dev.proxyline.it.interop;

import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.it.harness.RawClient;
import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.TransportProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** nginx's stream module as the L4 balancer in front of our decoder: {@code proxy_protocol on;}. */
@Timeout(30)
class NginxStreamSendsProxyTest {
    private static final String PAYLOAD = "hello from 127.0.0.7\n";

    @TempDir
    Path directory;
    private ProxyReceiver receiver;
    private NginxPeer nginx;

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void nginxStreamProxyProtocolOnSendsAV1LineWithTheRealClientThenTheClientsBytesUnchanged() {
        receiver = ProxyReceiver.start(ProxyReceiver.bytes(PAYLOAD.length()), "ok\n");
        InetSocketAddress listen = Loopback.freePort(Loopback.NGINX);
        nginx = NginxPeer.start(directory, """
                stream {
                    server {
                        listen %s;
                        proxy_protocol on;
                        proxy_pass %s;
                    }
                }
                """.formatted(Loopback.hostPort(listen), Loopback.hostPort(receiver.address())), List.of(listen));

        RawClient.Exchange exchange = RawClient.exchange(listen, PAYLOAD);
        ProxyReceiver.Received received = receiver.next(Duration.ofSeconds(5));

        ProxyHeader header = received.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V1);
        assertThat(header.command()).isEqualTo(Command.PROXY);
        assertThat(header.family()).isEqualTo(AddressFamily.INET);
        assertThat(header.transport()).isEqualTo(TransportProtocol.STREAM);
        assertThat(header.sourceAddress()).contains(exchange.client());
        assertThat(header.destinationAddress()).contains(listen);
        assertThat(received.payloadText()).isEqualTo(PAYLOAD);
        assertThat(new String(received.bytes(), 0, received.complete().length(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PROXY TCP4 127.0.0.7 127.0.0.2 " + exchange.client().getPort() + " " + listen.getPort() + "\r\n");
        // The reply travels back through nginx untouched.
        assertThat(exchange.text()).isEqualTo("ok\n");
    }
}
