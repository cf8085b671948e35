package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.CertifiedKey;
import dev.proxyline.server.tls.SelfSigned;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_pass https://} through {@link ProxylineServer} to TLS backends on loopback: the request and response
 * pass as over plain HTTP, pooled connections keep their TLS, SNI and verification follow the {@code proxy_ssl_*}
 * directives, a failed handshake is an upstream error (the next upstream, or 502).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamTlsTest {
    @TempDir
    Path dir;

    private static CertifiedKey certificate(String name) {
        return SelfSigned.generate(SelfSigned.KeyType.EC, name, List.of(name), List.of(), Instant.now(),
                Duration.ofDays(1));
    }

    /** Writes {@code key} as {@code dir/base.crt} and {@code dir/base.key}. */
    private void write(CertifiedKey key, String base) throws Exception {
        SelfSigned.write(key, dir.resolve(base + ".crt"), dir.resolve(base + ".key"));
    }

    private static SslContext server(CertifiedKey key) throws Exception {
        return SslContextBuilder.forServer(key.key(), key.chain()).build();
    }

    private static HttpExchangeClient.Response get(HttpRig rig, String path) throws Exception {
        try (HttpExchangeClient c = rig.client()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            return c.read();
        }
    }

    @Test
    void requestsAndBodiesPassOverTlsAndAPooledConnectionServesTheNext() throws Exception {
        try (HttpBackend backend = HttpBackend.overTls(server(certificate("backend.test")));
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         upstream app { server 127.0.0.1:%d; keepalive 4; }
                         server {
                             listen 127.0.0.1:%d;
                             location / { proxy_pass https://app; }
                         }
                     }
                     """.formatted(backend.port(), front));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /one");
            c.send("POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
            assertThat(c.read().body()).isEqualTo("got 10 bytes for /two");
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("hello");
            c.send("GET /four HTTP/1.0\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /four");

            assertThat(backend.connections).hasValue(1);
            assertThat(backend.serverNames.poll(5, TimeUnit.SECONDS)).isEqualTo("-");
        }
    }

    @Test
    void aNewConnectionResumesTheLastSessionUnlessSessionReuseIsOff() throws Exception {
        CertifiedKey key = certificate("backend.test");
        // The JDK's engine keeps a resumed session's creation time, which the backends record.
        try (HttpBackend resuming = HttpBackend.overTls(SslContextBuilder.forServer(key.key(), key.chain())
                .sslProvider(SslProvider.JDK).build());
             HttpBackend fresh = HttpBackend.overTls(SslContextBuilder.forServer(key.key(), key.chain())
                     .sslProvider(SslProvider.JDK).build());
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         server {
                             listen 127.0.0.1:%d;
                             location /reuse { proxy_pass https://127.0.0.1:%d; }
                             location /fresh { proxy_ssl_session_reuse off; proxy_pass https://127.0.0.1:%d; }
                         }
                     }
                     """.formatted(front, resuming.port(), fresh.port()))) {
            for (int i = 0; i < 2; i++) {
                assertThat(get(rig, "/reuse").status()).isEqualTo(200);
                assertThat(get(rig, "/fresh").status()).isEqualTo(200);
                Thread.sleep(20); // full handshakes of the next round are made at another millisecond
            }
            assertThat(resuming.connections).hasValue(2);
            long first = resuming.sessionsMade.poll(5, TimeUnit.SECONDS);
            assertThat(resuming.sessionsMade.poll(5, TimeUnit.SECONDS)).isEqualTo(first);
            long one = fresh.sessionsMade.poll(5, TimeUnit.SECONDS);
            assertThat(fresh.sessionsMade.poll(5, TimeUnit.SECONDS)).isNotEqualTo(one);
        }
    }

    @Test
    void aWebSocketUpgradeIsRelayedOverTls() throws Exception {
        try (HttpBackend backend = HttpBackend.overTls(server(certificate("backend.test")));
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         server {
                             listen 127.0.0.1:%d;
                             location / { proxy_pass https://127.0.0.1:%d; }
                         }
                     }
                     """.formatted(front, backend.port()));
             HttpExchangeClient c = rig.client()) {
            c.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(101);
            c.send("\u0001raw bytes, not HTTP\r\n\r\n");
            byte[] back = c.socket.getInputStream().readNBytes(24);
            assertThat(new String(back, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo("\u0001raw bytes, not HTTP\r\n\r\n");
        }
    }

    @Test
    void sniIsSentOnlyWithProxySslServerNameOn() throws Exception {
        try (HttpBackend backend = HttpBackend.overTls(server(certificate("backend.test")));
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         server {
                             listen 127.0.0.1:%1$d;
                             location /off { proxy_ssl_name backend.test; proxy_pass https://127.0.0.1:%2$d; }
                             location /on {
                                 proxy_ssl_server_name on;
                                 proxy_ssl_name backend.test;
                                 proxy_pass https://127.0.0.1:%2$d;
                             }
                             location /local {
                                 proxy_ssl_server_name on;
                                 proxy_ssl_name localhost:8443;
                                 proxy_pass https://127.0.0.1:%2$d;
                             }
                             location /address { proxy_ssl_server_name on; proxy_pass https://127.0.0.1:%2$d; }
                         }
                     }
                     """.formatted(front, backend.port()))) {
            List<String> names = new ArrayList<>();
            for (String path : List.of("/off", "/on", "/local", "/address")) {
                assertThat(get(rig, path).status()).isEqualTo(200);
                names.add(backend.serverNames.poll(5, TimeUnit.SECONDS));
            }
            // No SNI for an IP address, as RFC 6066 and nginx; a port written in proxy_ssl_name is not sent.
            assertThat(names).containsExactly("-", "backend.test", "localhost", "-");
        }
    }

    @Test
    void withVerifyTheChainAndTheNameMustMatchOrTheAnswerIs502() throws Exception {
        CertifiedKey backendKey = certificate("backend.test");
        write(backendKey, "backend");
        write(certificate("backend.test"), "impostor"); // the same name, another key: not the trusted one
        Logger failures = Logger.getLogger("dev.proxyline.server.app.http");
        Level before = failures.getLevel();
        failures.setLevel(Level.ALL);
        try (HttpBackend backend = HttpBackend.overTls(server(backendKey));
             LogCapture log = LogCapture.named("dev.proxyline.server.app.http");
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         proxy_ssl_verify on;
                         proxy_ssl_trusted_certificate backend.crt;
                         server {
                             listen 127.0.0.1:%1$d;
                             location /right { proxy_ssl_name backend.test; proxy_pass https://127.0.0.1:%2$d; }
                             location /wrong-ca {
                                 proxy_ssl_name backend.test;
                                 proxy_ssl_trusted_certificate impostor.crt;
                                 proxy_pass https://127.0.0.1:%2$d;
                             }
                             location /wrong-name { proxy_ssl_name other.test; proxy_pass https://127.0.0.1:%2$d; }
                             location /address { proxy_pass https://127.0.0.1:%2$d; }
                             location /off { proxy_ssl_verify off; proxy_pass https://127.0.0.1:%2$d; }
                         }
                     }
                     """.formatted(front, backend.port()))) {
            assertThat(get(rig, "/right").body()).isEqualTo("got 0 bytes for /right");
            assertThat(get(rig, "/wrong-ca").status()).isEqualTo(502);
            assertThat(get(rig, "/wrong-name").status()).isEqualTo(502);
            // nginx compares the name as text: 127.0.0.1 is not backend.test.
            assertThat(get(rig, "/address").status()).isEqualTo(502);
            assertThat(get(rig, "/off").status()).isEqualTo(200);
            assertThat(String.join("\n", log.lines))
                    .contains("upstream SSL certificate verify error: (18:self-signed certificate) while SSL "
                            + "handshaking to upstream 127.0.0.1:" + backend.port())
                    .contains("upstream SSL certificate does not match \"other.test\" while SSL handshaking to upstream")
                    .contains("upstream SSL certificate does not match \"127.0.0.1\"");
        } finally {
            failures.setLevel(before);
        }
    }

    @Test
    void theClientCertificateIsShownToABackendThatRequiresOne() throws Exception {
        CertifiedKey client = certificate("proxy.client");
        write(client, "client");
        X509TrustManager onlyTheClient = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain.length == 0 || !chain[0].equals(client.leaf())) throw new CertificateException("a stranger");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a server only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        CertifiedKey backendKey = certificate("backend.test");
        SslContext requiring = SslContextBuilder.forServer(backendKey.key(), backendKey.chain())
                .clientAuth(ClientAuth.REQUIRE).trustManager(onlyTheClient).build();
        try (HttpBackend backend = HttpBackend.overTls(requiring);
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         server {
                             listen 127.0.0.1:%1$d;
                             location /with {
                                 proxy_ssl_certificate client.crt;
                                 proxy_ssl_certificate_key client.key;
                                 proxy_pass https://127.0.0.1:%2$d;
                             }
                             location /without { proxy_pass https://127.0.0.1:%2$d; }
                         }
                     }
                     """.formatted(front, backend.port()))) {
            assertThat(get(rig, "/with").body()).isEqualTo("got 0 bytes for /with");
            assertThat(get(rig, "/without").status()).isEqualTo(502);
        }
    }

    @Test
    void aHandshakeWithAPlainHttpPortFailsAtOnceAndTheNextUpstreamIsTried() throws Exception {
        try (HttpBackend plain = HttpBackend.start();
             HttpBackend tls = HttpBackend.overTls(server(certificate("backend.test")));
             ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         upstream both { server 127.0.0.1:%2$d; server 127.0.0.1:%3$d; }
                         server {
                             listen 127.0.0.1:%1$d;
                             proxy_connect_timeout 20s;
                             location /both { proxy_pass https://both; }
                             location /plain { proxy_pass https://127.0.0.1:%2$d; }
                             location /silent { proxy_connect_timeout 300ms; proxy_pass https://127.0.0.1:%4$d; }
                         }
                     }
                     """.formatted(front, plain.port(), tls.port(), silent.getLocalPort()))) {
            for (int i = 0; i < 2; i++) {
                assertThat(get(rig, "/both").body()).isEqualTo("got 0 bytes for /both");
            }
            assertThat(plain.connections.get()).isBetween(1, 2);
            long start = System.nanoTime();
            assertThat(get(rig, "/plain").status()).isEqualTo(502);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // A peer that accepts and never answers the handshake: proxy_connect_timeout bounds it, as nginx.
            assertThat(get(rig, "/silent").status()).isEqualTo(504);
        }
    }
}
