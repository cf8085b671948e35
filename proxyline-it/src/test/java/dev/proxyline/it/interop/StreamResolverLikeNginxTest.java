package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream {@code proxy_pass} with variables whose value is a host name, looked up through {@code resolver} on a DNS
 * server this test runs on loopback: the same stream block in nginx and in proxyline, and each client's outcome
 * compared (the backend's answer relayed, or the connection closed), with the access log's {@code $status} and
 * {@code $upstream_addr}. Servers: a name the DNS server knows, one it does not (NXDOMAIN), and a name without a
 * {@code resolver}.
 */
@Timeout(60)
class StreamResolverLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String STREAM = """
            stream {
                log_format st '$server_port $status $upstream_addr';
                access_log %1$s st;
                map $remote_addr $known { default app.test; }
                map $remote_addr $unknown { default gone.test; }
                server { listen %2$s; resolver %5$s ipv6=off; proxy_pass $known:%6$d; }
                server { listen %3$s; resolver %5$s ipv6=off; proxy_pass $unknown:%6$d; }
                server { listen %4$s; proxy_pass $known:%6$d; }
            }
            """;
    private static final String REQUEST = "GET /s HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n";

    @TempDir
    Path directory;

    @Test
    void aNameIsLookedUpAsNginxLooksItUp() throws Exception {
        List<InetSocketAddress> nginx = ports(Loopback.NGINX);
        List<InetSocketAddress> proxyline = ports(Loopback.PROXYLINE);
        List<String> fromNginx = new ArrayList<>();
        List<String> fromProxyline = new ArrayList<>();
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (HttpBackend backend = HttpBackend.start();
             DnsResponder dns = DnsResponder.start(Map.of("app.test", List.of(Loopback.BACKEND)), Set.of())) {
            String resolver = Loopback.hostPort(dns.address());
            int port = backend.address().getPort();
            try (NginxPeer peer = NginxPeer.start(nginxDirectory, stream(nginxDirectory.resolve("access.log"), nginx,
                    resolver, port), nginx);
                 Proxyline ours = Proxyline.start(directory, stream(directory.resolve("access.log"), proxyline,
                         resolver, port))) {
                for (int i = 0; i < 3; i++) {
                    fromNginx.add(outcome(nginx.get(i)));
                    fromProxyline.add(outcome(proxyline.get(i)));
                }
                List<String> nginxLog = new ArrayList<>();
                List<String> ourLog = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String nginxPort = nginx.get(i).getPort() + " ";
                    String ourPort = proxyline.get(i).getPort() + " ";
                    nginxLog.add(peer.awaitLine("access.log", line -> line.startsWith(nginxPort), WAIT));
                    ourLog.add(ours.awaitLine("access.log", line -> line.startsWith(ourPort), WAIT));
                }
                assertThat(summaries(ourLog, proxyline, port)).containsExactlyInAnyOrderElementsOf(
                        summaries(nginxLog, nginx, port));
                assertThat(summaries(nginxLog, nginx, port)).containsExactlyInAnyOrder(
                        "first 200 backend", "second 500 -", "third 500 -");
            }
        }
        assertThat(fromProxyline).containsExactlyElementsOf(fromNginx);
        assertThat(fromNginx).containsExactly("HTTP/1.1 200 OK | ok /s\n", "closed", "closed");
        assertThat(Files.readString(nginxDirectory.resolve("error.log"), StandardCharsets.UTF_8))
                .contains("gone.test could not be resolved (3: Host not found)",
                        "no resolver defined to resolve app.test");
    }

    private static List<InetSocketAddress> ports(java.net.InetAddress address) {
        return List.of(Loopback.freePort(address), Loopback.freePort(address), Loopback.freePort(address));
    }

    private static String stream(Path log, List<InetSocketAddress> listens, String resolver, int backendPort) {
        return STREAM.formatted(log, Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                Loopback.hostPort(listens.get(2)), resolver, backendPort);
    }

    private static String outcome(InetSocketAddress server) {
        RawClient.Exchange exchange = RawClient.exchange(server, REQUEST);
        return exchange.answer().length == 0 ? "closed" : exchange.statusLine() + " | " + exchange.body();
    }

    /** Each log line with the server named by its place and the backend's address by its role. */
    private static List<String> summaries(List<String> lines, List<InetSocketAddress> listens, int backendPort) {
        List<String> names = List.of("first", "second", "third");
        return lines.stream().map(line -> {
            String[] fields = line.split(" ");
            int server = listens.stream().map(InetSocketAddress::getPort).toList().indexOf(Integer.parseInt(fields[0]));
            String upstream = fields[2].equals(Loopback.BACKEND.getHostAddress() + ":" + backendPort) ? "backend"
                    : fields[2];
            return names.get(server) + " " + fields[1] + " " + upstream;
        }).toList();
    }
}
