package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other pairing of the original setup: proxyline as the L4 balancer (stream, {@code proxy_protocol
 * on}, from 127.0.0.4) in front of an ingress-nginx-like nginx ({@code listen … proxy_protocol}, {@code
 * set_real_ip_from 127.0.0.4}, {@code real_ip_header proxy_protocol}, ingress-nginx's {@code X-Real-IP}
 * and {@code X-Forwarded-For}) → the app. nginx's {@code $remote_addr} and the app see the client.
 */
@Timeout(30)
class ProxylineToNginxIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2})
    void nginxAsTheIngressLogsTheClientAndTellsTheApp(int version) throws Exception {
        InetSocketAddress balancer = Loopback.freePort(Loopback.PROXYLINE);
        InetSocketAddress ingress = Loopback.freePort(Loopback.NGINX);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        try (HttpBackend app = HttpBackend.start();
             NginxPeer nginx = NginxPeer.start(nginxDirectory, """
                     http {
                         log_format pp '$remote_addr:$remote_port peer=$realip_remote_addr pp=$proxy_protocol_addr "$request" $status';
                     %s
                         server {
                             listen %s proxy_protocol;
                             set_real_ip_from 127.0.0.4;
                             real_ip_header proxy_protocol;
                             location / {
                                 proxy_set_header X-Real-IP $remote_addr;
                                 proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                                 proxy_pass http://%s;
                             }
                         }
                     }
                     """.formatted(NginxPeer.httpHousekeeping(nginxDirectory), Loopback.hostPort(ingress),
                     Loopback.hostPort(app.address())), List.of(ingress));
             Proxyline proxyline = Proxyline.start(directory, """
                     stream {
                         log_format balancer '$remote_addr:$remote_port $status';
                         server {
                             listen %s;
                             proxy_bind 127.0.0.4;
                             proxy_protocol on;
                             proxy_protocol_version %d;
                             proxy_pass %s;
                             access_log balancer.log balancer;
                         }
                     }
                     """.formatted(Loopback.hostPort(balancer), version, Loopback.hostPort(ingress)))) {

            String path = "/behind-proxyline-v" + version;
            RawClient.Exchange exchange = RawClient.exchange(balancer, Requests.get(path, ""));

            assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(exchange.body()).isEqualTo("ok " + path + "\n");
            HttpBackend.Seen seen = app.await(path, WAIT);
            assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
            assertThat(seen.header("X-Forwarded-For")).contains("127.0.0.7");
            String client = Loopback.hostPort(exchange.client());
            assertThat(nginx.awaitLine("access.log", line -> line.contains(path), WAIT))
                    .isEqualTo(client + " peer=127.0.0.4 pp=127.0.0.7 \"GET " + path + " HTTP/1.1\" 200");
            assertThat(proxyline.awaitLine("balancer.log", line -> line.startsWith(client + " "), WAIT))
                    .isEqualTo(client + " 200");
        }
    }
}
