package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SocketBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream session whose {@code proxy_pass} waits for a DNS answer, and whose client leaves meanwhile: the session
 * ends there, no connection is made once the answer comes, and the answer is still kept for the next client.
 */
@Timeout(30)
class StreamLookupIngressTest {
    private static final Duration DNS_DELAY = Duration.ofMillis(800);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void aClientThatLeavesDuringTheLookupGetsNoConnectAndTheNextOneUsesTheAnswer() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
        DnsResponder.Script slow = new DnsResponder.Script(Map.of("slow.test", List.of(Loopback.BACKEND)), Set.of(),
                Map.of(), Map.of("slow.test", DNS_DELAY), Map.of());
        try (SocketBackend backend = SocketBackend.start(socket -> {
                accepted.incrementAndGet();
                SocketBackend.echoLine(socket);
            }, WAIT);
             DnsResponder dns = DnsResponder.start(slow, List.of(Loopback.BACKEND));
             Proxyline proxyline = Proxyline.start(directory, """
                     stream {
                         log_format st '$remote_port $status $upstream_addr';
                         access_log %s st;
                         map $remote_addr $name { default slow.test; }
                         server { listen %s; resolver %s ipv6=off; proxy_pass $name:%d; }
                     }
                     """.formatted(directory.resolve("access.log"), Loopback.hostPort(listen),
                     Loopback.hostPort(dns.address()), backend.address().getPort()))) {
            int leaving;
            try (Socket client = Loopback.connectFromClient(listen, WAIT)) {
                leaving = client.getLocalPort();
            }
            String left = proxyline.awaitLine("access.log", line -> line.startsWith(leaving + " "), WAIT);
            assertThat(left).as("the session ended before the answer, with no upstream").endsWith(" -");
            assertThat(dns.asked()).containsExactly("slow.test A");
            // Past the answer: no connect was made for the client that left.
            Thread.sleep(DNS_DELAY.multipliedBy(2).toMillis());
            assertThat(accepted).hasValue(0);
            try (Socket client = Loopback.connectFromClient(listen, WAIT)) {
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("hello");
            }
            assertThat(accepted).hasValue(1);
            assertThat(dns.asked()).as("the answer was kept though its first client left").hasSize(1);
        }
    }
}
