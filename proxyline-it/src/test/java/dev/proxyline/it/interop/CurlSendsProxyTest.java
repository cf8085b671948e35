package dev.proxyline.it.interop;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.ProxyReceiver;
import dev.proxyline.protocol.AddressFamily;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * curl {@code --haproxy-protocol} as the sender: it talks to our decoder directly, so the header
 * must describe curl's own socket, which the receiver sees from the other end.
 */
@Timeout(30)
class CurlSendsProxyTest {
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private ProxyReceiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void haproxyProtocolSendsAV1LineDescribingCurlsOwnSocketThenTheExactHttpRequest() {
        receiver = ProxyReceiver.start(ProxyReceiver.httpRequestHead(), RESPONSE);
        String hostPort = Loopback.hostPort(receiver.address());

        Commands.Result result = curl("--interface", "127.0.0.7", "http://" + hostPort + "/pp");
        ProxyReceiver.Received received = receiver.next(WAIT);

        assertThat(result.output()).isEqualTo("ok\n");
        ProxyHeader header = received.header();
        assertThat(header.version()).isEqualTo(ProtocolVersion.V1);
        assertThat(header.family()).isEqualTo(AddressFamily.INET);
        assertThat(header.sourceAddress()).contains(received.sender());
        assertThat(received.sender().getAddress()).isEqualTo(Loopback.CLIENT);
        assertThat(header.destinationAddress()).contains(receiver.address());
        assertThat(received.payloadText()).isEqualTo("GET /pp HTTP/1.1\r\nHost: " + hostPort + "\r\n"
                + "User-Agent: curl/" + curlVersion() + "\r\nAccept: */*\r\n\r\n");
    }

    @Test
    void haproxyProtocolOverIpv6SendsATcp6Line() throws Exception {
        Assumptions.assumeTrue(Loopback.ipv6Works(), "::1 is not usable on this machine");
        receiver = ProxyReceiver.start(ProxyReceiver.httpRequestHead(), RESPONSE, InetAddress.getByName("::1"));

        Commands.Result result = curl("http://[::1]:" + receiver.address().getPort() + "/v6");
        ProxyReceiver.Received received = receiver.next(WAIT);

        assertThat(result.output()).isEqualTo("ok\n");
        ProxyHeader header = received.header();
        assertThat(header.family()).isEqualTo(AddressFamily.INET6);
        assertThat(header.sourceAddress()).contains(received.sender());
        assertThat(header.destinationAddress()).contains(receiver.address());
        assertThat(new String(received.bytes(), 0, 10, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP6");
        assertThat(received.payloadText()).startsWith("GET /v6 HTTP/1.1\r\n");
    }

    private static Commands.Result curl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Interop.requireBinary("curl").toString(),
                "-sS", "--max-time", "10", "--haproxy-protocol"));
        command.addAll(List.of(arguments));
        return Commands.runForResult(command, Duration.ofSeconds(15));
    }

    /** The version curl puts in its User-Agent, from {@code curl -V}. */
    private static String curlVersion() {
        String first = Commands.run(List.of(Interop.requireBinary("curl").toString(), "-V"), WAIT).lines().findFirst().orElseThrow();
        return first.split(" ")[1];
    }
}
