package dev.proxyline.it.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.HaproxyPeer;
import dev.proxyline.it.harness.HttpBackend;
import dev.proxyline.it.harness.Interop;
import dev.proxyline.it.harness.LogCapture;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS passed through the L4 balancer and terminated by proxyline's ingress ({@code listen … ssl http2
 * proxy_protocol}): nginx stream (v1) and HAProxy ({@code mode tcp}, {@code send-proxy-v2}) put the
 * PROXY header in front of curl's ClientHello. The app sees the client and {@code https}; the access
 * log shows the handshake. Also the two misconfigurations on TLS listens, with nginx as the balancer:
 * neither can answer in HTTP, so the client's handshake fails and the log says why.
 */
@Timeout(30)
class TlsIngressTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static HttpBackend app;
    private static Proxyline proxyline;
    private static NginxPeer nginx;
    private static HaproxyPeer haproxy;
    private static Certificates.Pair certificate;
    private static InetSocketAddress tlsPlain;
    private static InetSocketAddress nginxSends;
    private static InetSocketAddress haproxySends;
    /** nginx sends v1 to a TLS listen without {@code proxy_protocol}. */
    private static InetSocketAddress headerToTls;
    /** nginx sends nothing to the {@code ssl proxy_protocol} listen. */
    private static InetSocketAddress noHeader;

    @BeforeAll
    static void start() throws Exception {
        Path directory = Files.createTempDirectory("tls-ingress");
        app = HttpBackend.start();
        certificate = Certificates.selfSigned(directory, "ingress", "interop.test");
        InetSocketAddress tlsPp = Loopback.freePort(Loopback.PROXYLINE);
        tlsPlain = Loopback.freePort(Loopback.PROXYLINE);
        proxyline = Proxyline.start(directory, """
                http {
                    log_format ingress '$remote_addr:$remote_port peer=$realip_remote_addr $ssl_protocol sni=$ssl_server_name'
                                       ' alpn=$ssl_alpn_protocol "$request" $status';
                    ssl_certificate ingress.crt;
                    ssl_certificate_key ingress.key;
                    server {
                        listen %1$s ssl http2 proxy_protocol;
                        server_name interop.test;
                        set_real_ip_from 127.0.0.2;
                        set_real_ip_from 127.0.0.3;
                        real_ip_header proxy_protocol;
                        access_log ingress.log ingress;
                        location / { proxy_pass http://%3$s; }
                    }
                    server {
                        listen %2$s ssl;
                        server_name interop.test;
                        location / { proxy_pass http://%3$s; }
                    }
                }
                """.formatted(Loopback.hostPort(tlsPp), Loopback.hostPort(tlsPlain), Loopback.hostPort(app.address())));
        nginxSends = Loopback.freePort(Loopback.NGINX);
        headerToTls = Loopback.freePort(Loopback.NGINX);
        noHeader = Loopback.freePort(Loopback.NGINX);
        nginx = NginxPeer.start(Files.createDirectory(directory.resolve("nginx")), """
                stream {
                    proxy_bind 127.0.0.2;
                    server { listen %s; proxy_protocol on; proxy_pass %s; }
                    server { listen %s; proxy_protocol on; proxy_pass %s; }
                    server { listen %s; proxy_pass %s; }
                }
                """.formatted(Loopback.hostPort(nginxSends), Loopback.hostPort(tlsPp), Loopback.hostPort(headerToTls),
                Loopback.hostPort(tlsPlain), Loopback.hostPort(noHeader), Loopback.hostPort(tlsPp)),
                List.of(nginxSends, headerToTls, noHeader));
        haproxySends = Loopback.freePort(Loopback.HAPROXY);
        haproxy = HaproxyPeer.start(Files.createDirectory(directory.resolve("haproxy")), """
                listen passthrough
                    mode tcp
                    bind %s
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                    server ingress %s send-proxy-v2 proxy-v2-options crc32c source 127.0.0.3
                """.formatted(Loopback.hostPort(haproxySends), Loopback.hostPort(tlsPp)), List.of(haproxySends));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
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
    void throughNginxOverHttp11TheAppSeesTheClientAndHttps() {
        Commands.Result result = curl(nginxSends, "/nginx-tls", List.of("--http1.1"));

        assertThat(result.output()).startsWith("ok /nginx-tls\n\n1.1 127.0.0.7:");
        String client = result.output().substring(result.output().lastIndexOf(' ') + 1).strip();
        HttpBackend.Seen seen = app.await("/nginx-tls", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.lastForwardedFor()).contains("127.0.0.7");
        assertThat(seen.header("X-Forwarded-Proto")).contains("https");
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/nginx-tls"), WAIT))
                .matches(Pattern.quote(client + " peer=127.0.0.2 ") + "TLSv1\\.[23]"
                        + Pattern.quote(" sni=interop.test alpn=http/1.1 \"GET /nginx-tls HTTP/1.1\" 200"));
    }

    @Test
    void throughHaproxyOverHttp2TheAppSeesTheClient() {
        Commands.Result result = curl(haproxySends, "/haproxy-h2", List.of("--http2"));

        assertThat(result.output()).startsWith("ok /haproxy-h2\n\n2 127.0.0.7:");
        String client = result.output().substring(result.output().lastIndexOf(' ') + 1).strip();
        HttpBackend.Seen seen = app.await("/haproxy-h2", WAIT);
        assertThat(seen.header("X-Real-IP")).contains("127.0.0.7");
        assertThat(seen.header("X-Forwarded-Proto")).contains("https");
        assertThat(proxyline.awaitLine("ingress.log", line -> line.contains("/haproxy-h2"), WAIT))
                .startsWith(client + " peer=127.0.0.3 ").endsWith(" sni=interop.test alpn=h2 \"GET /haproxy-h2 HTTP/2.0\" 200");
    }

    @Test
    void nginxSendingAHeaderToATlsListenWithoutProxyProtocolFailsTheHandshakeAndIsDiagnosed() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            Commands.Result result = curl(headerToTls, "/misconfigured-tls", List.of());

            assertThat(result.status()).as("curl's handshake fails: %s", result.output()).isNotZero();
            assertThat(diagnosis.awaitLine(line -> line.contains("received a PROXY protocol header on a listener"
                    + " without proxy_protocol"), WAIT))
                    .contains("listener " + Loopback.hostPort(tlsPlain) + ", peer 127.0.0.2:");
            assertThat(app.all("/misconfigured-tls")).isEmpty();
        }
    }

    @Test
    void nginxSendingNoHeaderToAnSslProxyProtocolListenIsClosedAndDiagnosedAsAClientHello() {
        try (LogCapture diagnosis = LogCapture.of("dev.proxyline")) {
            Commands.Result result = curl(noHeader, "/no-header-tls", List.of());

            assertThat(result.status()).as("curl's handshake fails: %s", result.output()).isNotZero();
            assertThat(diagnosis.awaitLine(line -> line.contains("is the balancer sending it?"), WAIT))
                    .contains("expected a PROXY protocol header from 127.0.0.2:")
                    .contains("but got a TLS ClientHello");
            assertThat(app.all("/no-header-tls")).isEmpty();
        }
    }

    /** curl from 127.0.0.7 to {@code https://interop.test:PORT/path} at {@code balancer}; prints the body, then the HTTP version and its socket. */
    private static Commands.Result curl(InetSocketAddress balancer, String path, List<String> options) {
        List<String> command = new ArrayList<>(List.of(Interop.requireBinary("curl").toString(), "-sS",
                "--max-time", "10", "--cacert", certificate.certificate().toString(), "--interface", "127.0.0.7",
                "--resolve", "interop.test:" + balancer.getPort() + ":" + balancer.getAddress().getHostAddress(),
                "-w", "\n%{http_version} %{local_ip}:%{local_port}"));
        command.addAll(options);
        command.add("https://interop.test:" + balancer.getPort() + path);
        return Commands.runForResult(command, Duration.ofSeconds(15));
    }
}
