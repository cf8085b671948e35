package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAProxy's HTTP health checks ({@code option httpchk}) with {@code check-send-proxy} and {@code
 * send-proxy-v2} against proxyline's ingress {@code listen … proxy_protocol}: each check is a v2 LOCAL
 * header and then an HTTP request. The ingress accepts the header, answers the request, and
 * describes it as HAProxy's own connection (no PROXY client), while client traffic still carries the
 * client.
 */
@Timeout(30)
class HaproxyHealthChecksIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void localHttpChecksAreAnsweredAndLoggedAsHaproxyNotAsAClient() throws Exception {
        InetSocketAddress haproxyListen = Loopback.freePort(Loopback.HAPROXY);
        InetSocketAddress ingress = Loopback.freePort(Loopback.PROXYLINE);
        try (HttpBackend app = HttpBackend.start();
             Proxyline proxyline = Proxyline.start(directory, """
                     http {
                         log_format ingress '$remote_addr peer=$realip_remote_addr pp=$proxy_protocol_addr "$request" $status';
                         server {
                             listen %s proxy_protocol;
                             set_real_ip_from 127.0.0.3;
                             real_ip_header proxy_protocol;
                             access_log ingress.log ingress;
                             location = /healthz { return 200 "ok\\n"; }
                             location / { proxy_pass http://%s; }
                         }
                     }
                     """.formatted(Loopback.hostPort(ingress), Loopback.hostPort(app.address())));
             HaproxyPeer haproxy = HaproxyPeer.start(Files.createDirectory(directory.resolve("haproxy")), """
                     listen checked
                         mode tcp
                         bind %s
                         timeout connect 2s
                         timeout client 5s
                         timeout server 5s
                         # The first request of a fresh JVM can take longer than inter, the default check timeout.
                         timeout check 5s
                         option httpchk GET /healthz
                         option log-health-checks
                         server ingress %s send-proxy-v2 check check-send-proxy inter 200ms rise 2 fall 2 source 127.0.0.3
                     """.formatted(Loopback.hostPort(haproxyListen), Loopback.hostPort(ingress)),
                     List.of(haproxyListen))) {

            // Two checks answered; each came over a LOCAL header, so the ingress names HAProxy's socket.
            String check = "127.0.0.3 peer=127.0.0.3 pp=- \"GET /healthz HTTP/1.0\" 200";
            proxyline.awaitLines("ingress.log", check::equals, 2, WAIT);
            RawClient.Exchange exchange = RawClient.exchange(haproxyListen, Requests.get("/client", ""));

            assertThat(exchange.statusLine()).as("HAProxy keeps the server up and relays; HAProxy:%n%s%ningress log:%n%s", haproxy.output(), proxyline.log("ingress.log")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(app.await("/client", WAIT).header("X-Real-IP")).contains("127.0.0.7");
            assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/client"), WAIT))
                    .isEqualTo("127.0.0.7 peer=127.0.0.3 pp=127.0.0.7 \"GET /client HTTP/1.1\" 200");
            assertThat(app.all("/healthz")).as("checks are answered by the ingress, not passed on").isEmpty();
            assertThat(haproxy.output()).doesNotContain("is DOWN").doesNotContain("check failed");
        }
    }
}
