package dev.proxyline.server.app;

import static dev.proxyline.server.testing.PeerThreads.readOrEof;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code allow} / {@code deny} on real sockets: http locations and stream servers, after realip. */
class AccessRulesTest {
    @TempDir
    Path dir;

    static List<Rig.StreamPath> transports() {
        return Rig.StreamPath.available();
    }

    @Test
    void aDeniedClientGets403OnAConnectionThatStaysOpenAndTheRefusalIsLogged() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             LogCapture log = LogCapture.named(HttpListeners.class.getPackageName() + ".http");
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    log_format access '$request_uri $status';
                    access_log access.log access;
                    server {
                        listen 127.0.0.1:%d;
                        deny %s;
                        location / { proxy_pass http://127.0.0.1:%d; }
                        location /open/ { allow all; proxy_pass http://127.0.0.1:%d; }
                        location /answers/ { return 200 "answered\\n"; }
                        location /files/ { }
                    }
                }
                """.formatted(port, Rig.CLIENT_IP, backend.port(), backend.port()));
             HttpExchangeClient client = rig.client()) {
            client.send("GET /app HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpExchangeClient.Response refused = client.read();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("403 Forbidden");
            // The same connection serves the next request, as nginx keeps it after a 403.
            client.send("GET /open/x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).as("a location with its own rules").isEqualTo(200);
            // return answers before the access phase, as in nginx; a location with nothing to serve answers after it.
            client.send("GET /answers/x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().body()).isEqualTo("answered\n");
            client.send("GET /files/x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(403);

            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/open/x");
            assertThat(backend.requests).isEmpty();
            assertThat(rig.awaitLogLines("access.log", 4)).containsExactly(
                    "/app 403", "/open/x 200", "/answers/x 200", "/files/x 403");
            assertThat(log.lines).anySatisfy(line -> assertThat(line).startsWith(
                    "access forbidden by rule, client: 127.0.0.7, peer: 127.0.0.7, server: , request: \"GET /app HTTP/1.1\""));
        }
    }

    @Test
    void theRulesMeetTheClientRealipFound() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    set_real_ip_from 127.0.0.0/8;
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            deny 203.0.113.0/24;
                            allow 198.51.100.0/24;
                            allow 2001:db8::/32;
                            deny all;
                            proxy_pass http://127.0.0.1:%d;
                        }
                    }
                }
                """.formatted(port, backend.port()))) {
            assertThat(statusFrom(rig, "198.51.100.7")).isEqualTo(200);
            assertThat(statusFrom(rig, "203.0.113.7")).isEqualTo(403);
            assertThat(statusFrom(rig, "2001:db8::7")).isEqualTo(200);
            assertThat(statusFrom(rig, "192.0.2.7")).isEqualTo(403);
            assertThat(backend.requests.poll(5, TimeUnit.SECONDS).headers().get("x-real-ip"))
                    .containsExactly("198.51.100.7");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aStreamServerClosesADeniedClientAndLogsItWith403(Rig.StreamPath transport) throws Exception {
        int denied = Rig.freePort();
        int allowed = Rig.freePort();
        try (Backend backend = Backend.echo();
             LogCapture sessions = LogCapture.of(StreamService.class);
             Rig rig = Rig.start(dir, """
                stream {
                    log_format status '$remote_addr $status';
                    server {
                        listen 127.0.0.1:%d;
                        access_log denied.log status;
                        allow 127.0.0.1;
                        deny all;
                        proxy_pass 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        allow %s;
                        deny all;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(denied, backend.port(), allowed, Rig.CLIENT_IP, backend.port()), transport)) {
            try (Socket client = Rig.client(denied)) {
                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(readOrEof(client.getInputStream())).isEqualTo(-1);
            }
            assertThat(Rig.awaitLog(dir.resolve("denied.log"))).isEqualTo(Rig.CLIENT_IP + " 403\n");
            assertThat(sessions.lines).anySatisfy(line -> assertThat(line)
                    .isEqualTo("access forbidden by rule, client: 127.0.0.7, server: 127.0.0.1:" + denied));
            try (Socket client = Rig.client(allowed)) {
                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aStreamServerJudgesTheClientOfATrustedProxyHeader(Rig.StreamPath transport) throws Exception {
        int port = Rig.freePort();
        try (Backend backend = Backend.echo();
             Rig rig = Rig.start(dir, """
                stream {
                    log_format status '$remote_addr $status';
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        set_real_ip_from 127.0.0.0/8;
                        access_log access.log status;
                        deny 203.0.113.0/24;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                """.formatted(port, backend.port()), transport)) {
            try (Socket client = Rig.client(port)) {
                client.getOutputStream().write(("PROXY TCP4 198.51.100.7 127.0.0.1 40000 " + port + "\r\nping")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");
            }
            try (Socket client = Rig.client(port)) {
                client.getOutputStream().write(("PROXY TCP4 203.0.113.7 127.0.0.1 40000 " + port + "\r\nping")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = client.getInputStream();
                assertThat(readOrEof(in)).isEqualTo(-1);
            }
            assertThat(Rig.awaitLogLines(dir.resolve("access.log"), 2)).containsExactlyInAnyOrder("198.51.100.7 200", "203.0.113.7 403");
        }
    }

    private static int statusFrom(HttpRig rig, String realIp) throws Exception {
        try (HttpExchangeClient client = rig.client()) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Real-IP: " + realIp + "\r\n\r\n");
            return client.read().status();
        }
    }
}
