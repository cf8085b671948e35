package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.RawClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The original setup with nginx as the L4 balancer: client 127.0.0.7 → nginx stream ({@code
 * proxy_protocol on}, v1, from 127.0.0.2) → proxyline ingress ({@code listen … proxy_protocol},
 * {@code set_real_ip_from 127.0.0.2}, {@code real_ip_header proxy_protocol}) → the app. Also the two
 * misconfigurations with nginx as the balancer.
 */
@Timeout(30)
class NginxStreamToIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static HttpBackend app;
    private static Proxyline proxyline;
    private static NginxPeer nginx;
    /** nginx sends v1 to proxyline's {@code proxy_protocol} listen: the right setup. */
    private static InetSocketAddress balancer;
    /** nginx sends v1 to a proxyline listen without {@code proxy_protocol}. */
    private static InetSocketAddress headerToPlain;
    private static InetSocketAddress ingressPlain;
    /** nginx sends nothing to proxyline's {@code proxy_protocol} listen. */
    private static InetSocketAddress noHeader;

    @BeforeAll
    static void start() throws Exception {
        Path directory = Files.createTempDirectory("nginx-to-ingress");
        app = HttpBackend.start();
        InetSocketAddress ingressPp = Loopback.freePort(Loopback.PROXYLINE);
        ingressPlain = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                http {
                    log_format ingress '$remote_addr:$remote_port peer=$realip_remote_addr pp=$proxy_protocol_addr "$request" $status';
                    server {
                        listen %1$s proxy_protocol;
                        set_real_ip_from 127.0.0.2;
                        real_ip_header proxy_protocol;
                        access_log ingress.log ingress;
                        location / { proxy_pass http://%3$s; }
                        location = /who { return 200 "remote=$remote_addr:$remote_port peer=$realip_remote_addr\\n"; }
                    }
                    server {
                        listen %2$s;
                        access_log plain.log ingress;
                        location / { proxy_pass http://%3$s; }
                    }
                }
                """.formatted(Loopback.hostPort(ingressPp), Loopback.hostPort(ingressPlain),
                Loopback.hostPort(app.address())));
        balancer = Loopback.freePort(Loopback.NGINX);
        headerToPlain = Loopback.freePort(Loopback.NGINX);
        noHeader = Loopback.freePort(Loopback.NGINX);
        nginx = NginxPeer.start(Files.createDirectory(directory.resolve("nginx")), """
                stream {
                    proxy_bind 127.0.0.2;
                    server { listen %s; proxy_protocol on; proxy_pass %s; }
                    server { listen %s; proxy_protocol on; proxy_pass %s; }
                    server { listen %s; proxy_pass %s; }
                }
                """.formatted(Loopback.hostPort(balancer), Loopback.hostPort(ingressPp),
                Loopback.hostPort(headerToPlain), Loopback.hostPort(ingressPlain),
                Loopback.hostPort(noHeader), Loopback.hostPort(ingressPp)),
                List.of(balancer, headerToPlain, noHeader));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (proxyline != null) {
            proxyline.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theAppSeesTheClientInXRealIpAndLastInXForwardedForAndTheIngressLogsIt() {
        RawClient.Exchange exchange = RawClient.exchange(balancer, Requests.get("/nginx-v1", "X-Forwarded-For: 198.51.100.1\r\n"));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("ok /nginx-v1\n");
        HttpBackend.Seen seen = app.await("/nginx-v1", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.lastForwardedFor()).contains("127.0.0.7");
        String client = Loopback.hostPort(exchange.client());
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/nginx-v1"), WAIT))
                .isEqualTo(client + " peer=127.0.0.2 pp=127.0.0.7 \"GET /nginx-v1 HTTP/1.1\" 200");
    }

    @Test
    void returnRendersTheClientFromNginxsHeader() {
        RawClient.Exchange exchange = RawClient.exchange(balancer, Requests.get("/who", ""));

        assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(exchange.body()).isEqualTo("remote=" + Loopback.hostPort(exchange.client()) + " peer=127.0.0.2\n");
    }

    @Test
    void nginxSendingAHeaderToAListenWithoutProxyProtocolGets400AndIsDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange exchange = RawClient.exchange(headerToPlain, Requests.get("/misconfigured", ""));

            // nginx relays the ingress's answer: the client of the chain sees the 400, as with nginx as the ingress.
            // How nginx then ends the client's connection varies (FIN, once RST under load): only that it ends.
            assertThat(exchange.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(exchange.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            // Once per source at WARNING (nginx's readiness probe already was one), then at DEBUG: captured either way.
            assertThat(diagnosis.awaitLine(line -> line.contains("received a PROXY protocol header on a listener"
                    + " without proxy_protocol"), WAIT))
                    .contains("listener " + Loopback.hostPort(ingressPlain) + ", peer 127.0.0.2:")
                    .contains("add `proxy_protocol` to `listen`");
            assertThat(app.all("/misconfigured")).isEmpty();
        }
    }

    @Test
    void nginxSendingNoHeaderToAProxyProtocolListenIsClosedAndDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            RawClient.Exchange exchange = RawClient.exchange(noHeader, Requests.get("/no-header", ""));

            assertThat(exchange.answer()).isEmpty();
            assertThat(exchange.ending()).isNotEqualTo(RawClient.Ending.STILL_OPEN);
            assertThat(diagnosis.awaitLine(line -> line.contains("is the balancer sending it?"), WAIT))
                    .contains("expected a PROXY protocol header from 127.0.0.2:")
                    .contains("but got an HTTP request");
            assertThat(app.all("/no-header")).isEmpty();
        }
    }
}
