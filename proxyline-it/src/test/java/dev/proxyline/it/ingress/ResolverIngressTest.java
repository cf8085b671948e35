package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.DnsResponder;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxyline alone, what the side-by-side tests cannot show: a looked-up name's answer is kept for {@code valid=}
 * (asked once for many requests), its several addresses are the request's servers, a dead one passed over by
 * {@code proxy_next_upstream} within the request ({@code $upstream_addr} lists both when the dead one came first),
 * and a request body that arrives while the name is looked up reaches the upstream.
 */
@Timeout(30)
class ResolverIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** An address nothing listens on: connecting to it is refused at once. */
    private static final InetAddress DEAD = dead();

    private static final int REQUESTS = 16;

    @TempDir
    Path directory;

    @Test
    void aBodyThatComesWhileTheNameIsLookedUpGoesUpstreamWhole() throws Exception {
        InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
        HttpServer echo = HttpServer.create(new InetSocketAddress(Loopback.BACKEND, 0), 4);
        echo.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = ("got " + new String(body, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        echo.start();
        try (DnsResponder dns = DnsResponder.start(Map.of("app.test", List.of(Loopback.BACKEND)), Set.of())) {
            String config = """
                    http {
                        server {
                            listen %s;
                            resolver %s ipv6=off;
                            location / { set $n app.test; proxy_pass http://$n:%d; }
                        }
                    }
                    """.formatted(Loopback.hostPort(listen), Loopback.hostPort(dns.address()),
                    echo.getAddress().getPort());
            try (Proxyline proxyline = Proxyline.start(directory, config)) {
                // Head and body in one write: the body is read before the DNS answer is in.
                RawClient.Exchange exchange = RawClient.exchange(listen, "POST /p HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 10\r\nConnection: close\r\n\r\nhello-body");
                assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(exchange.body()).isEqualTo("got hello-body");
            }
        } finally {
            echo.stop(0);
        }
    }

    private static InetAddress dead() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 8});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAnswerIsKeptForValidAndItsAddressesAreTriedInTurn() {
        InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
        try (HttpBackend app = HttpBackend.start();
             DnsResponder dns = DnsResponder.start(Map.of("app.test", List.of(DEAD, Loopback.BACKEND)), Set.of())) {
            int port = app.address().getPort();
            String config = """
                    http {
                        log_format up '$status $upstream_addr';
                        server {
                            listen %s;
                            access_log %s up;
                            resolver %s valid=1h ipv6=off;
                            location / { set $n app.test; proxy_pass http://$n:%d; }
                        }
                    }
                    """.formatted(Loopback.hostPort(listen), directory.resolve("access.log"),
                    Loopback.hostPort(dns.address()), port);
            try (Proxyline proxyline = Proxyline.start(directory, config)) {
                for (int i = 0; i < REQUESTS; i++) {
                    RawClient.Exchange exchange = RawClient.exchange(listen,
                            "GET /r" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                    assertThat(exchange.body()).isEqualTo("ok /r" + i + "\n");
                }
                List<String> lines = proxyline.awaitLines("access.log", line -> true, REQUESTS, WAIT);
                String alive = Loopback.BACKEND.getHostAddress() + ":" + port;
                String dead = DEAD.getHostAddress() + ":" + port;
                assertThat(lines).allMatch(line -> line.equals("200 " + alive) || line.equals("200 " + dead + ", " + alive));
                // Each request starts at a random one of the two: over 16 requests both orders show (but for 1 in
                // 32768 runs).
                assertThat(lines).anyMatch(line -> line.contains(dead));
                assertThat(lines).anyMatch(line -> line.equals("200 " + alive));
            }
            assertThat(dns.asked()).containsExactly("app.test A");
        }
    }
}
