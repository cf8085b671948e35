package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.server.tls.CertificateFiles;
import dev.proxyline.server.tls.CertifiedKey;
import dev.proxyline.server.tls.PemFile;
import dev.proxyline.server.tls.SelfSigned;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain through {@link ProxylineServer}: a client at 127.0.0.7, a stream balancer sending a PROXY
 * header, an {@code ssl proxy_protocol} ingress terminating TLS (HTTP/1.1 or HTTP/2 by ALPN), a backend; and
 * both misconfigurations of the PROXY protocol, answered and diagnosed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngressTlsTest {
    /** Where both diagnoses are logged. */
    private static final Logger DIAGNOSES = Logger.getLogger("dev.proxyline.protocol.netty");

    @TempDir
    Path dir;

    private final List<String> diagnoses = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            diagnoses.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureDiagnoses() {
        DIAGNOSES.addHandler(capture);
    }

    @AfterEach
    void releaseCapture() {
        DIAGNOSES.removeHandler(capture);
    }

    /** A certificate for localhost and 127.0.0.1, written as {@code dir/ingress.crt|key}. */
    private CertificateFiles certificate() throws IOException {
        CertifiedKey key = SelfSigned.generate(SelfSigned.KeyType.EC, "localhost", List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1")), Instant.now(), Duration.ofDays(1));
        CertificateFiles files = new CertificateFiles(
                new PemFile(dir.resolve("ingress.crt"), "ssl_certificate", Optional.empty()),
                new PemFile(dir.resolve("ingress.key"), "ssl_certificate_key", Optional.empty()));
        SelfSigned.write(key, files.certificate().path(), files.key().path());
        return files;
    }

    /**
     * A balancer on {@code balancer} sending PROXY {@code version} to an {@code ssl proxy_protocol http2} ingress
     * that trusts it, logging TLS facts to {@code ingress.log}; and a plain hop on {@code hop} that connects to
     * the balancer from 127.0.0.7, for clients that cannot bind their socket (the JDK's HttpClient).
     */
    private static String chain(int hop, int balancer, int version, int ingress, int backend) {
        return """
                stream {
                    server {
                        listen 127.0.0.1:%d;
                        proxy_bind 127.0.0.7;
                        proxy_pass 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        proxy_bind 127.0.0.2;
                        proxy_protocol on;
                        proxy_protocol_version %d;
                        proxy_pass 127.0.0.1:%d;
                    }
                }
                http {
                    log_format tls '$remote_addr $ssl_protocol $ssl_server_name $scheme "$request" $status';
                    server {
                        listen 127.0.0.1:%d ssl proxy_protocol http2;
                        ssl_certificate ingress.crt;
                        ssl_certificate_key ingress.key;
                        set_real_ip_from 127.0.0.2;
                        real_ip_header proxy_protocol;
                        access_log ingress.log tls;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(hop, balancer, balancer, version, ingress, ingress, backend);
    }

    @ParameterizedTest(name = "PROXY v{0}")
    @ValueSource(ints = {1, 2})
    void overHttp1TheBackendSeesTheClientAndTheAccessLogTheHandshake(int version) throws Exception {
        CertificateFiles files = certificate();
        try (HttpBackend backend = HttpBackend.start()) {
            int balancer = Rig.freePort();
            try (Rig rig = Rig.start(dir, chain(Rig.freePort(), balancer, version, Rig.freePort(), backend.port()));
                 SSLSocket tls = TlsClients.http1(Rig.client(balancer), TlsClients.trusting(files), "localhost");
                 HttpExchangeClient c = new HttpExchangeClient(tls)) {
                assertThat(tls.getApplicationProtocol()).isEqualTo("http/1.1");
                c.send("GET /hello HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /hello");

                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("X-Real-IP")).isEqualTo(Rig.CLIENT_IP);
                assertThat(seen.header("X-Forwarded-For")).endsWith(Rig.CLIENT_IP).doesNotContain("198.51.100.1");
                assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
                assertThat(Rig.awaitLog(dir.resolve("ingress.log")))
                        .isEqualTo(Rig.CLIENT_IP + " " + tls.getSession().getProtocol()
                                + " localhost https \"GET /hello HTTP/1.1\" 200\n");
            }
        }
    }

    @Test
    void theAccessLogNamesATls12CipherAsNginxDoes() throws Exception {
        CertificateFiles files = certificate();
        try (HttpBackend backend = HttpBackend.start()) {
            int balancer = Rig.freePort();
            String config = chain(Rig.freePort(), balancer, 2, Rig.freePort(), backend.port())
                    .replace("$status'", "$status $ssl_cipher'");
            try (Rig rig = Rig.start(dir, config);
                 SSLSocket tls = tls12(Rig.client(balancer), TlsClients.trusting(files), "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                 HttpExchangeClient c = new HttpExchangeClient(tls)) {
                c.send("GET /cipher HTTP/1.1\r\nHost: app.test\r\n\r\n");
                assertThat(c.read().body()).isEqualTo("got 0 bytes for /cipher");

                assertThat(Rig.awaitLog(dir.resolve("ingress.log")))
                        .isEqualTo(Rig.CLIENT_IP + " TLSv1.2 localhost https \"GET /cipher HTTP/1.1\" 200 "
                                + "ECDHE-ECDSA-AES256-GCM-SHA384\n");
            }
        }
    }

    private static SSLSocket tls12(Socket raw, SSLContext context, String suite) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setEnabledCipherSuites(new String[] {suite});
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.<SNIServerName>of(new SNIHostName("localhost")));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    @ParameterizedTest(name = "PROXY v{0}")
    @ValueSource(ints = {1, 2})
    void overHttp2TheBackendSeesTheClient(int version) throws Exception {
        CertificateFiles files = certificate();
        try (HttpBackend backend = HttpBackend.start()) {
            int hop = Rig.freePort();
            try (Rig rig = Rig.start(dir, chain(hop, Rig.freePort(), version, Rig.freePort(), backend.port()))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TlsClients.trusting(files)).connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + hop + "/two")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("got 0 bytes for /two");
                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("X-Real-IP")).isEqualTo(Rig.CLIENT_IP);
                assertThat(seen.header("X-Forwarded-For")).endsWith(Rig.CLIENT_IP);
                assertThat(Rig.awaitLog(dir.resolve("ingress.log")))
                        .startsWith(Rig.CLIENT_IP + " TLSv1.3 ").endsWith(" https \"GET /two HTTP/2.0\" 200\n");
            }
        }
    }

    @Test
    void drainingEndsAnIdleHttp2ConnectionWithGoawayInsteadOfCuttingIt() throws Exception {
        CertificateFiles files = certificate();
        try (HttpBackend backend = HttpBackend.start()) {
            int ingress = Rig.freePort();
            Rig rig = Rig.start(dir, """
                    http {
                        server {
                            listen 127.0.0.1:%d ssl http2;
                            ssl_certificate ingress.crt;
                            ssl_certificate_key ingress.key;
                            location / { proxy_pass http://127.0.0.1:%d; }
                        }
                    }
                    """.formatted(ingress, backend.port()));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .sslContext(TlsClients.trusting(files)).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + ingress + "/idle")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);

            // The client keeps its connection open for the next request; the drain must end it, not wait it out.
            assertThat(rig.server.stop(Duration.ofSeconds(5))).as("sessions cut at the drain deadline").isZero();
        }
    }

    @Test
    void aProxyHeaderToAListenWithoutProxyProtocolIsAnswered400AndDiagnosed() throws Exception {
        certificate();
        int plain = Rig.freePort();
        int ssl = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate ingress.crt;
                        ssl_certificate_key ingress.key;
                        return 200 "not reached";
                    }
                }
                """.formatted(plain, ssl))) {
            try (HttpExchangeClient c = new HttpExchangeClient(Rig.client(plain))) {
                c.send("PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.body()).contains("400 Bad Request");
                assertThat(c.closedByServer()).isTrue();
            }
            try (Socket s = Rig.client(ssl)) {
                s.getOutputStream().write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49,
                        0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C, 127, 0, 0, 7, 127, 0, 0, 1, 0x30, 0x39, 0x01, (byte) 0xBB});
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(diagnoses).filteredOn(line -> line.contains("received a PROXY protocol header on a listener"
                            + " without proxy_protocol; add `proxy_protocol` to `listen`"))
                    .anySatisfy(line -> assertThat(line).contains("127.0.0.1:" + plain, Rig.CLIENT_IP))
                    .anySatisfy(line -> assertThat(line).contains("127.0.0.1:" + ssl, Rig.CLIENT_IP));
        }
    }

    @Test
    void anHttpRequestOrAClientHelloToAProxyProtocolListenIsClosedAndDiagnosed() throws Exception {
        CertificateFiles files = certificate();
        int plain = Rig.freePort();
        int ssl = Rig.freePort();
        try (Rig rig = Rig.start(dir, """
                http {
                    server {
                        listen 127.0.0.1:%d proxy_protocol;
                        listen 127.0.0.1:%d ssl proxy_protocol;
                        ssl_certificate ingress.crt;
                        ssl_certificate_key ingress.key;
                        set_real_ip_from 127.0.0.0/8;
                        return 200 "not reached";
                    }
                }
                """.formatted(plain, ssl))) {
            try (HttpExchangeClient c = new HttpExchangeClient(Rig.client(plain))) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.socket.getInputStream().read()).isEqualTo(-1);
            }
            SSLContext context = TlsClients.trusting(files);
            assertThatThrownBy(() -> TlsClients.http1(Rig.client(ssl), context, "localhost").close())
                    .isInstanceOf(SSLException.class);

            assertThat(diagnoses)
                    .anySatisfy(line -> assertThat(line).contains("listener 127.0.0.1:" + plain,
                            "expected a PROXY protocol header from " + Rig.CLIENT_IP,
                            "but got an HTTP request; is the balancer sending it?"))
                    .anySatisfy(line -> assertThat(line).contains("listener 127.0.0.1:" + ssl,
                            "expected a PROXY protocol header from " + Rig.CLIENT_IP,
                            "but got a TLS ClientHello; is the balancer sending it?"));
        }
    }
}
