package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.server.tls.CertificateFiles;
import dev.proxyline.server.tls.SelfSigned;
import dev.proxyline.server.tls.TestCertificates;
import dev.proxyline.server.tls.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS termination on stream {@code listen ... ssl}, on every stream path (on epoll such a server runs on channels
 * whatever the default): nginx's phase order (the PROXY header first, then allow/deny, then the handshake, then
 * ssl_preread on the decrypted bytes, then the upstream), an RSA and an ECDSA certificate chosen per client,
 * {@code ssl_verify_client}, and a wildcard listen sharing its port with an ssl listen of another server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamTlsTest {
    @TempDir
    Path dir;

    static List<Rig.StreamPath> paths() {
        return Rig.StreamPath.available();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void theProxyHeaderComesFirstThenTheHandshakeThenThePrereadOfTheDecryptedBytes(Rig.StreamPath path) throws Exception {
        CertificateFiles site = TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        try (Backend echo = Backend.echo()) {
            int port = Rig.freePort();
            int denied = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format tls '$remote_addr $status $bytes_received $ssl_protocol $ssl_server_name $ssl_preread_protocol';
                        ssl_certificate site.crt;
                        ssl_certificate_key site.key;
                        server {
                            listen 127.0.0.1:%d ssl proxy_protocol;
                            set_real_ip_from 127.0.0.0/8;
                            ssl_preread on;
                            access_log tls.log tls;
                            proxy_pass 127.0.0.1:%d;
                        }
                        server {
                            listen 127.0.0.1:%d ssl;
                            deny 127.0.0.7;
                            access_log denied.log tls;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, echo.port(), denied, echo.port()), path)) {
                try (Socket raw = Rig.client(port)) {
                    raw.getOutputStream().write("PROXY TCP4 203.0.113.7 127.0.0.1 51234 443\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    SSLSocket tls = handshake(raw, TlsClientsContext.trusting(site), "s.example", null);
                    tls.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    tls.getOutputStream().flush();
                    assertThat(tls.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
                }
                // The preread saw "hello", not TLS: its variables are not found, as nginx's after a handshake.
                assertThat(Rig.awaitLogLines(dir.resolve("tls.log"), 1))
                        .containsExactly("203.0.113.7 200 5 TLSv1.3 s.example -");

                try (Socket raw = Rig.client(denied)) {
                    assertThatThrownBy(() -> handshake(raw, TlsClientsContext.trusting(site), "s.example", null))
                            .isInstanceOf(IOException.class);
                }
                // Refused before any handshake, as nginx's access phase comes before its ssl phase.
                assertThat(Rig.awaitLogLines(dir.resolve("denied.log"), 1)).containsExactly("127.0.0.7 403 0 - - -");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aVersion2HeaderUpstreamCarriesTheSslTlv(Rig.StreamPath path) throws Exception {
        CertificateFiles site = TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        try (Backend backend = Backend.expectingHeader()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d ssl;
                            ssl_certificate site.crt;
                            ssl_certificate_key site.key;
                            proxy_protocol on;
                            proxy_protocol_version 2;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, backend.port()), path)) {
                try (Socket raw = Rig.client(port)) {
                    SSLSocket tls = handshake(raw, TlsClientsContext.trusting(site), "site.test", null);
                    tls.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(tls.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
                }
                dev.proxyline.protocol.ProxyHeader header = (dev.proxyline.protocol.ProxyHeader) backend.nextHeader();
                dev.proxyline.protocol.Tlv.Ssl ssl = header.tlv(dev.proxyline.protocol.Tlv.Ssl.class).orElseThrow();
                assertThat(ssl.version()).contains("TLSv1.3");
                assertThat(ssl.cipher()).hasValueSatisfying(cipher -> assertThat(cipher).startsWith("TLS_"));
                assertThat(ssl.verify()).isEqualTo(1);
                assertThat(header.sourceAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.7");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void eachClientGetsTheCertificateOfAKeyTypeItSupports(Rig.StreamPath path) throws Exception {
        CertificateFiles rsa = TestCertificates.write(dir, "rsa", SelfSigned.KeyType.RSA, "site.test");
        CertificateFiles ec = TestCertificates.write(dir, "ec", SelfSigned.KeyType.EC, "site.test");
        try (Backend echo = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%d ssl;
                            ssl_certificate rsa.crt;
                            ssl_certificate_key rsa.key;
                            ssl_certificate ec.crt;
                            ssl_certificate_key ec.key;
                            ssl_protocols TLSv1.2;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, echo.port()), path)) {
                SSLContext both = TlsClientsContext.trusting(rsa, ec);
                for (String[] suiteAndKey : List.of(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "RSA"},
                        new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "EC"})) {
                    try (Socket raw = Rig.client(port)) {
                        SSLSocket tls = handshake(raw, both, "site.test", suiteAndKey[0]);
                        assertThat(tls.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm())
                                .isEqualTo(suiteAndKey[1]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void sslVerifyClientEndsASessionWithoutAValidCertificate(Rig.StreamPath path) throws Exception {
        CertificateFiles site = TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        TestPki.Issued ca = TestPki.selfSigned("CN=Test CA", true);
        TestPki.writePem(dir.resolve("ca.crt"), ca.certificate());
        TestPki.Issued client = TestPki.client(ca, "CN=client one", BigInteger.valueOf(0x0FED), Duration.ofDays(2));
        try (Backend echo = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format tls '$status $ssl_client_verify $ssl_client_s_dn $ssl_client_serial';
                        server {
                            listen 127.0.0.1:%d ssl;
                            ssl_certificate site.crt;
                            ssl_certificate_key site.key;
                            ssl_client_certificate ca.crt;
                            ssl_verify_client on;
                            access_log tls.log tls;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(port, echo.port()), path);
                 LogCapture log = LogCapture.of(StreamService.class)) {
                SSLContext anonymous = TlsClientsContext.trusting(site);
                try (Socket raw = Rig.client(port)) {
                    SSLSocket tls = handshake(raw, anonymous, "site.test", null);
                    tls.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(tls.getInputStream().read()).isEqualTo(-1);
                } catch (IOException closedDuringHandshake) {
                    // TLS 1.3: the client may learn of the close while it still reads the server's tickets.
                }
                assertThat(Rig.awaitLogLines(dir.resolve("tls.log"), 1)).containsExactly("500 NONE  ");
                assertThat(log.lines).anyMatch(line -> line.startsWith(
                        "client sent no required SSL certificate, client: 127.0.0.7, server: 127.0.0.1:" + port));

                SSLContext withCertificate = TlsClientsContext.trusting(client.keyManagers().getKeyManagers(), site);
                try (Socket raw = Rig.client(port)) {
                    SSLSocket tls = handshake(raw, withCertificate, "site.test", null);
                    tls.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(tls.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
                }
                assertThat(Rig.awaitLogLines(dir.resolve("tls.log"), 2).get(1))
                        .isEqualTo("200 SUCCESS CN=client one 0FED");
            }
        }
    }

    /** On epoll the plain server goes to channels too: one socket is served one way. */
    @ParameterizedTest
    @MethodSource("paths")
    void aWildcardListenSharingItsPortWithAnSslListenServesBoth(Rig.StreamPath path) throws Exception {
        CertificateFiles site = TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        try (Backend echo = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        server {
                            listen 127.0.0.1:%1$d ssl;
                            ssl_certificate site.crt;
                            ssl_certificate_key site.key;
                            proxy_pass 127.0.0.1:%2$d;
                        }
                        server {
                            listen %1$d;
                            proxy_pass 127.0.0.1:%2$d;
                        }
                    }
                    """.formatted(port, echo.port()), path)) {
                try (Socket raw = Rig.client(port)) {
                    SSLSocket tls = handshake(raw, TlsClientsContext.trusting(site), "site.test", null);
                    tls.getOutputStream().write("secret".getBytes(StandardCharsets.US_ASCII));
                    assertThat(tls.getInputStream().readNBytes(6)).asString().isEqualTo("secret");
                }
                try (Socket plain = new Socket()) {
                    plain.setSoTimeout(5000);
                    plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 5000);
                    OutputStream out = plain.getOutputStream();
                    out.write("plain".getBytes(StandardCharsets.US_ASCII));
                    assertThat(plain.getInputStream().readNBytes(5)).asString().isEqualTo("plain");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void proxySslSendsThePlainProxyHeaderThenHandshakesWithTheUpstreamAndChecksIt(Rig.StreamPath path) throws Exception {
        CertificateFiles upstreamCertificate = TestCertificates.write(dir, "db", SelfSigned.KeyType.EC, "db.internal");
        try (TlsBackend backend = TlsBackend.start(upstreamCertificate)) {
            int port = Rig.freePort();
            int wrongName = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format up '$remote_addr $status $upstream_addr';
                        upstream db { server 127.0.0.1:%3$d; }
                        proxy_ssl on;
                        proxy_ssl_trusted_certificate db.crt;
                        proxy_ssl_verify on;
                        server {
                            listen 127.0.0.1:%1$d;
                            proxy_protocol on;
                            proxy_ssl_server_name on;
                            proxy_ssl_name db.internal;
                            access_log up.log up;
                            proxy_pass db;
                        }
                        server {
                            listen 127.0.0.1:%2$d;
                            access_log wrong.log up;
                            proxy_pass db;
                        }
                    }
                    """.formatted(port, wrongName, backend.port()), path);
                 LogCapture log = LogCapture.of(StreamService.class)) {
                try (Socket client = Rig.client(port)) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim())
                            .startsWith("PROXY TCP4 127.0.0.7 127.0.0.1 ").endsWith(" sni=db.internal line=hello");
                }
                assertThat(Rig.awaitLogLines(dir.resolve("up.log"), 1))
                        .containsExactly("127.0.0.7 200 127.0.0.1:" + backend.port());
                // The default name is the upstream block's, which the certificate does not carry: nginx's 502.
                try (Socket client = Rig.client(wrongName)) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().read()).isEqualTo(-1);
                }
                assertThat(Rig.awaitLogLines(dir.resolve("wrong.log"), 1))
                        .containsExactly("127.0.0.7 502 127.0.0.1:" + backend.port());
                assertThat(log.lines).anyMatch(line -> line.contains("upstream SSL certificate does not match \"db\" "
                        + "while SSL handshaking to upstream, client: 127.0.0.7, server: 127.0.0.1:" + wrongName
                        + ", upstream: \"127.0.0.1:" + backend.port() + "\""));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void aFailedUpstreamHandshakeTriesTheNextServerAsAFailedConnectDoes(Rig.StreamPath path) throws Exception {
        CertificateFiles good = TestCertificates.write(dir, "db", SelfSigned.KeyType.EC, "db.internal");
        CertificateFiles other = TestCertificates.write(dir, "other", SelfSigned.KeyType.EC, "other.internal");
        try (TlsBackend refused = TlsBackend.start(other); TlsBackend accepted = TlsBackend.start(good)) {
            int retried = Rig.freePort();
            int notRetried = Rig.freePort();
            String servers = "server 127.0.0.1:" + refused.port() + "; server 127.0.0.1:" + accepted.port() + ";";
            try (Rig rig = Rig.start(dir, """
                    stream {
                        log_format up '$remote_addr $status $upstream_addr|$upstream_connect_time';
                        upstream db { %3$s }
                        upstream db2 { %3$s }
                        proxy_ssl on;
                        proxy_ssl_trusted_certificate db.crt;
                        proxy_ssl_verify on;
                        proxy_ssl_name db.internal;
                        server {
                            listen 127.0.0.1:%1$d;
                            access_log retried.log up;
                            proxy_pass db;
                        }
                        server {
                            listen 127.0.0.1:%2$d;
                            proxy_next_upstream off;
                            access_log once.log up;
                            proxy_pass db2;
                        }
                    }
                    """.formatted(retried, notRetried, servers), path);
                 LogCapture log = LogCapture.of(GroupConnector.class)) {
                try (Socket client = Rig.client(retried)) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim())
                            .isEqualTo("sni=- line=hello");
                }
                // The refused server's attempt has no connect time; the accepted one's includes its handshake.
                assertThat(Rig.awaitLogLines(dir.resolve("retried.log"), 1)).singleElement().asString()
                        .matches("127\\.0\\.0\\.7 200 127\\.0\\.0\\.1:" + refused.port() + ", 127\\.0\\.0\\.1:"
                                + accepted.port() + "\\|-, \\d\\.\\d{3}");
                assertThat(log.lines).anyMatch(line -> line.startsWith("upstream SSL certificate verify error: ")
                        && line.endsWith(" while SSL handshaking to upstream, client: 127.0.0.7, server: 127.0.0.1:"
                        + retried + ", upstream: \"127.0.0.1:" + refused.port() + "\""));
                try (Socket client = Rig.client(notRetried)) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().read()).isEqualTo(-1);
                }
                assertThat(Rig.awaitLogLines(dir.resolve("once.log"), 1))
                        .containsExactly("127.0.0.7 502 127.0.0.1:" + refused.port() + "|-");
            }
        }
    }

    /**
     * A TLS echo server for one line: reads a PROXY v1 line in clear if one comes first, makes the handshake, and
     * answers with the header, the SNI name it got and the line.
     */
    private static final class TlsBackend implements AutoCloseable {
        private final java.net.ServerSocket server;
        private final SSLContext context;

        private TlsBackend(java.net.ServerSocket server, SSLContext context) {
            this.server = server;
            this.context = context;
        }

        static TlsBackend start(CertificateFiles files) throws Exception {
            dev.proxyline.server.tls.CertifiedKey key = dev.proxyline.server.tls.PemKeys.load(files);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("k", key.key(), "p".toCharArray(), key.chain().toArray(X509Certificate[]::new));
            javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "p".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            TlsBackend backend = new TlsBackend(new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    context);
            Thread accepting = new Thread(backend::accept, "tls-backend");
            accepting.setDaemon(true);
            accepting.start();
            return backend;
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    Thread serving = new Thread(() -> serve(connection), "tls-backend-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                connection.setSoTimeout(5000);
                java.io.InputStream in = connection.getInputStream();
                StringBuilder header = new StringBuilder();
                java.io.PushbackInputStream pushback = new java.io.PushbackInputStream(in, 1);
                int first = pushback.read();
                if (first == 'P') {
                    header.append('P');
                    for (int c = pushback.read(); c >= 0 && c != '\n'; c = pushback.read()) header.append((char) c);
                    header.append(' ');
                } else if (first >= 0) {
                    pushback.unread(first);
                }
                byte[] early = pushback.available() > 0 ? pushback.readNBytes(pushback.available()) : new byte[0];
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connection,
                        new java.io.ByteArrayInputStream(early), true);
                tls.setUseClientMode(false);
                tls.startHandshake();
                String sni = ((javax.net.ssl.ExtendedSSLSession) tls.getSession()).getRequestedServerNames().stream()
                        .map(n -> ((javax.net.ssl.SNIHostName) n).getAsciiName()).findFirst().orElse("-");
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(tls.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                tls.getOutputStream().write((header.toString().replace("\r", "") + "sni=" + sni + " line=" + line
                        + "\n").getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
            } catch (IOException ignored) {
                // The proxy went away (or refused our certificate): nothing to answer.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static SSLSocket handshake(Socket raw, SSLContext context, String serverName, String suite)
            throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, serverName, raw.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName(serverName)));
        if (suite != null) {
            p.setCipherSuites(new String[] {suite});
            p.setProtocols(new String[] {"TLSv1.2"});
        }
        tls.setSSLParameters(p);
        tls.startHandshake();
        return tls;
    }

    /** Client contexts trusting the test's certificates, with a client key or without. */
    private static final class TlsClientsContext {
        static SSLContext trusting(CertificateFiles... files) throws Exception {
            return trusting(null, files);
        }

        static SSLContext trusting(KeyManager[] keys, CertificateFiles... files) throws Exception {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (int i = 0; i < files.length; i++) {
                try (var in = java.nio.file.Files.newInputStream(files[i].certificate().path())) {
                    trusted.setCertificateEntry("test" + i, (X509Certificate) java.security.cert.CertificateFactory
                            .getInstance("X.509").generateCertificate(in));
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        }
    }
}
