package dev.proxyline.it.interop;

import static dev.proxyline.it.harness.StreamSideBySide.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.SocketBackend;
import dev.proxyline.it.harness.StreamSideBySide;
import dev.proxyline.it.harness.StreamSideBySide.Peer;
import dev.proxyline.it.harness.StreamSideBySide.Transcript;
import dev.proxyline.server.app.RunOptions;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination in the stream module: the same stream block, word for word, in nginx 1.22 (ngx_stream_ssl_module)
 * and in proxyline on each of its session paths ({@link StreamSideBySide}). Real TLS clients (the JDK's) send a line
 * through {@code listen ... ssl} to a loopback backend that echoes it, in clear, or answers with the PROXY header's
 * source and the line behind it ({@code proxy_protocol on}). Compared, step by step: what each client got back, and
 * the access log line
 * {@code $remote_addr $status $bytes_sent $bytes_received $ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_session_reused|$ssl_client_verify}:
 * TLS 1.3 with a server name, TLS 1.2 without one, TLS 1.2 resumed, behind a PROXY header. Then the failures, each
 * with {@code $status} 500 and what nginx's variables still show of the handshake (all but {@code $ssl_protocol},
 * where nginx shows OpenSSL's leftovers): plain text to the ssl port, a client that says nothing past
 * {@code ssl_handshake_timeout} (no error line in either), one that closes in the middle of its ClientHello, one
 * that names a server and offers no cipher the server has.
 * And {@code proxy_ssl on} to JDK TLS backends: with {@code proxy_protocol on}, {@code proxy_ssl_server_name on},
 * {@code proxy_ssl_name} and {@code proxy_ssl_verify on} (the header in clear before the handshake, the name as SNI,
 * the line); with the default name, the upstream block's, which the certificate does not carry (502,
 * {@code upstream SSL certificate does not match "db"} in both error logs); and a server whose certificate does not
 * verify ahead of one whose does, which both try in turn ({@code $upstream_addr} names both, the refused one without
 * a connect time).
 */
@Timeout(120)
class StreamTlsLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TLS13 = "TLS_AES_128_GCM_SHA256";
    private static final String TLS12 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    /** An RSA suite: the server has only an ECDSA certificate, so no cipher is shared. */
    private static final String UNSHARED = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    private static final String STREAM = """
            stream {
                log_format tls '$remote_addr $status $bytes_sent $bytes_received $ssl_protocol|$ssl_cipher|$ssl_server_name|$ssl_session_reused|$ssl_client_verify';
                log_format plain '$remote_addr $status $bytes_sent $bytes_received $ssl_cipher|$ssl_server_name|$ssl_session_reused|$ssl_client_verify';
                ssl_certificate %5$s;
                ssl_certificate_key %6$s;
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_prefer_server_ciphers on;
                ssl_session_cache shared:S:1m;
                server {
                    listen %1$s ssl;
                    access_log echo.log tls;
                    proxy_pass %4$s;
                }
                server {
                    listen %2$s ssl;
                    proxy_protocol on;
                    access_log proxied.log tls;
                    proxy_pass %7$s;
                }
                server {
                    listen %3$s ssl;
                    ssl_handshake_timeout 1s;
                    access_log failed.log plain;
                    proxy_pass %4$s;
                }
            }
            """;

    @TempDir
    Path directory;

    private Certificates.Pair pair;

    @BeforeEach
    void certificate() {
        pair = Certificates.selfSigned(directory, "site", "site.test");
    }

    @Test
    void terminatesTlsAndLogsTheSslVariablesAsNginxDoes() throws Exception {
        try (SocketBackend echo = SocketBackend.start(SocketBackend::echoLine, WAIT);
             SocketBackend proxied = SocketBackend.start(StreamTlsLikeNginxTest::proxyHeaderAndLine, WAIT)) {
            Function<List<InetSocketAddress>, String> stream = listens -> STREAM.formatted(
                    Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                    Loopback.hostPort(listens.get(2)), Loopback.hostPort(echo.address()), pair.certificate(),
                    pair.key(), Loopback.hostPort(proxied.address()));
            Transcript nginx = StreamSideBySide.nginx(directory, 3, stream, this::run);
            // The transcript as nginx made it, so that an equal proxyline one cannot be equal by both doing nothing.
            assertThat(nginx.steps()).containsExactly(
                    "TLS 1.3 with a name: hello",
                    "echo: 127.0.0.7 200 6 6 TLSv1.3|TLS_AES_128_GCM_SHA256|a.example|.|NONE",
                    "TLS 1.2 without a name: hello",
                    "echo: 127.0.0.7 200 6 6 TLSv1.2|ECDHE-ECDSA-AES128-GCM-SHA256|-|.|NONE",
                    "TLS 1.2 resumed: hello",
                    "echo: 127.0.0.7 200 6 6 TLSv1.2|ECDHE-ECDSA-AES128-GCM-SHA256|-|r|NONE",
                    "behind a PROXY header: source=127.0.0.7 line=hello",
                    "proxied: 127.0.0.7 200 28 6 TLSv1.3|TLS_AES_128_GCM_SHA256|p.example|.|NONE",
                    "plain text: closed",
                    "failed: 127.0.0.7 500 0 0 (NONE)|-|.|NONE",
                    "silent past ssl_handshake_timeout: closed",
                    "failed: 127.0.0.7 500 0 0 (NONE)|-|.|NONE",
                    "closed in its ClientHello: closed",
                    "failed: 127.0.0.7 500 0 0 (NONE)|-|.|NONE",
                    "no shared cipher: closed",
                    "failed: 127.0.0.7 500 0 0 (NONE)|f.example|.|NONE");
            assertThat(nginx.logged("SSL_do_handshake() failed (SSL: error:0A00009C:SSL routines::http request) while "
                    + "SSL handshaking, client: 127.0.0.7")).isTrue();
            assertThat(nginx.logged("timed out")).as("nginx logs no line for a handshake timeout").isFalse();
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                Transcript proxyline = StreamSideBySide.proxyline(directory, 3, stream, path, this::run);
                assertThat(proxyline.steps()).containsExactlyElementsOf(nginx.steps());
                // nginx's words, naming the client and the listen; nothing for the timeout.
                assertThat(proxyline.errors()).anyMatch(line -> line.startsWith("SSL_do_handshake() failed (")
                        && line.contains(") while SSL handshaking, client: 127.0.0.7, server: 127.0.0.4:"));
                assertThat(proxyline.errors()).anyMatch(line -> line.startsWith("peer closed connection in SSL "
                        + "handshake while SSL handshaking, client: 127.0.0.7, server: 127.0.0.4:"));
                assertThat(proxyline.logged("timed out")).isFalse();
            }
        }
    }

    @Test
    void sslAlpnAgreesOnTheServersFirstProtocolTheClientOffersAsNginxDoes() throws Exception {
        String stream = """
                stream {
                    log_format alpn '$remote_addr $status $ssl_alpn_protocol';
                    server {
                        listen %1$s ssl;
                        ssl_certificate %3$s;
                        ssl_certificate_key %4$s;
                        ssl_alpn imap h2;
                        access_log alpn.log alpn;
                        proxy_pass %2$s;
                    }
                }
                """;
        try (SocketBackend echo = SocketBackend.start(SocketBackend::echoLine, WAIT)) {
            Function<List<InetSocketAddress>, String> config = listens -> stream.formatted(
                    Loopback.hostPort(listens.get(0)), Loopback.hostPort(echo.address()), pair.certificate(),
                    pair.key());
            StreamSideBySide.Steps steps = peer -> {
                SSLContext client = clientContext();
                List<String> seen = new ArrayList<>();
                seen.add("h2 then imap: " + alpn(client, peer.listen(0), "h2", "imap"));
                seen.add(peer.line("alpn", 1));
                seen.add("h2 only: " + alpn(client, peer.listen(0), "h2"));
                seen.add(peer.line("alpn", 2));
                seen.add("none: " + alpn(client, peer.listen(0)));
                seen.add(peer.line("alpn", 3));
                return seen;
            };
            List<String> nginx = StreamSideBySide.nginx(directory, 1, config, steps).steps();
            assertThat(nginx).containsExactly(
                    "h2 then imap: imap hello", "alpn: 127.0.0.7 200 imap",
                    "h2 only: h2 hello", "alpn: 127.0.0.7 200 h2",
                    "none:  hello", "alpn: 127.0.0.7 200 -");
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                assertThat(StreamSideBySide.proxyline(directory, 1, config, path, steps).steps())
                        .containsExactlyElementsOf(nginx);
            }
        }
    }

    /**
     * A TLS 1.2 session (nginx 1.22 has no TLS 1.3 by default) offering {@code protocols} by ALPN: the protocol agreed,
     * then the echoed line.
     */
    private static String alpn(SSLContext context, InetSocketAddress target, String... protocols) {
        Answer answer = tls(context, target, parameters -> {
            parameters.setApplicationProtocols(protocols);
            parameters.setProtocols(new String[] {"TLSv1.2"});
        });
        return answer.alpn() + " " + answer.line();
    }

    @Test
    void proxySslHandshakesWithTheUpstreamAndTriesTheNextServerAsNginxDoes() throws Exception {
        Certificates.Pair upstream = Certificates.selfSigned(directory, "db", "db.internal");
        Certificates.Pair other = Certificates.selfSigned(directory, "other", "other.internal");
        String stream = """
                stream {
                    log_format up '$remote_addr $status $bytes_received';
                    log_format failed '$remote_addr $status';
                    log_format tried '$remote_addr $status $upstream_addr $upstream_connect_time';
                    upstream db { server %3$s; }
                    upstream retry { server %5$s; server %3$s; }
                    proxy_ssl on;
                    proxy_ssl_protocols TLSv1.2 TLSv1.3;
                    proxy_ssl_trusted_certificate %4$s;
                    proxy_ssl_verify on;
                    server {
                        listen %1$s;
                        proxy_protocol on;
                        proxy_ssl_server_name on;
                        proxy_ssl_name db.internal;
                        access_log named.log up;
                        proxy_pass db;
                    }
                    server {
                        listen %2$s;
                        access_log unnamed.log failed;
                        proxy_pass db;
                    }
                    server {
                        listen %6$s;
                        proxy_protocol on;
                        proxy_ssl_name db.internal;
                        access_log retried.log tried;
                        proxy_pass retry;
                    }
                }
                """;
        try (SocketBackend backend = TlsBackend.start(upstream); SocketBackend refusing = TlsBackend.start(other)) {
            Function<List<InetSocketAddress>, String> config = listens -> stream.formatted(
                    Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                    Loopback.hostPort(backend.address()), upstream.certificate(), Loopback.hostPort(refusing.address()),
                    Loopback.hostPort(listens.get(2)));
            Transcript nginx = StreamSideBySide.nginx(directory, 3, config, StreamTlsLikeNginxTest::upstreamSteps);
            String tried = Loopback.hostPort(refusing.address()) + ", " + Loopback.hostPort(backend.address());
            assertThat(nginx.steps()).containsExactly(
                    "named, behind a PROXY header: source=127.0.0.7 sni=db.internal line=hello",
                    "named: 127.0.0.7 200 6",
                    "by the upstream's name: closed",
                    "unnamed: 127.0.0.7 502",
                    "the second server, behind a PROXY header: source=127.0.0.7 sni=- line=hello",
                    "retried: 127.0.0.7 200 " + tried + " -, N.NNN");
            assertThat(nginx.logged("upstream SSL certificate does not match \"db\" while SSL handshaking to upstream"))
                    .isTrue();
            assertThat(nginx.logged("upstream SSL certificate verify error: (18:self-signed certificate) while SSL "
                    + "handshaking to upstream, client: 127.0.0.7")).isTrue();
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                Transcript proxyline = StreamSideBySide.proxyline(directory, 3, config, path,
                        StreamTlsLikeNginxTest::upstreamSteps);
                assertThat(proxyline.steps()).containsExactlyElementsOf(nginx.steps());
                assertThat(proxyline.logged("upstream SSL certificate does not match \"db\" while SSL handshaking to "
                        + "upstream, client: 127.0.0.7")).isTrue();
                assertThat(proxyline.logged("upstream SSL certificate verify error: (18:self-signed certificate) "
                        + "while SSL handshaking to upstream, client: 127.0.0.7")).isTrue();
            }
        }
    }

    private static List<String> upstreamSteps(Peer peer) throws Exception {
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        List<String> seen = new ArrayList<>();
        seen.add("named, behind a PROXY header: " + plain(peer.listen(0), hello, false));
        seen.add(peer.line("named", 1));
        seen.add("by the upstream's name: " + plain(peer.listen(1), hello, false));
        seen.add(peer.line("unnamed", 1));
        seen.add("the second server, behind a PROXY header: " + plain(peer.listen(2), hello, false));
        // The time of the accepted attempt varies; that the refused one has none does not.
        seen.add(peer.line("retried", 1).replaceAll("\\d+\\.\\d{3}$", "N.NNN"));
        return seen;
    }

    // --- the steps ---------------------------------------------------------------------------------------

    private List<String> run(Peer peer) throws Exception {
        InetSocketAddress echo = peer.listen(0);
        InetSocketAddress proxied = peer.listen(1);
        InetSocketAddress failing = peer.listen(2);
        // One client context per run: the TLS 1.2 session it keeps is resumed by the third step.
        SSLContext client = clientContext();
        List<String> seen = new ArrayList<>();
        seen.add("TLS 1.3 with a name: " + tls(client, echo, Optional.of("a.example"), "TLSv1.3", TLS13));
        seen.add(peer.line("echo", 1));
        seen.add("TLS 1.2 without a name: " + tls(client, echo, Optional.empty(), "TLSv1.2", TLS12));
        seen.add(peer.line("echo", 2));
        seen.add("TLS 1.2 resumed: " + tls(client, echo, Optional.empty(), "TLSv1.2", TLS12));
        seen.add(peer.line("echo", 3));
        seen.add("behind a PROXY header: " + tls(client, proxied, Optional.of("p.example"), "TLSv1.3", TLS13));
        seen.add(peer.line("proxied", 1));

        seen.add("plain text: " + plain(failing, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false));
        seen.add(peer.line("failed", 1));
        seen.add("silent past ssl_handshake_timeout: " + plain(failing, new byte[0], false));
        seen.add(peer.line("failed", 2));
        seen.add("closed in its ClientHello: " + plain(failing, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}, true));
        seen.add(peer.line("failed", 3));
        seen.add("no shared cipher: " + tls(client, failing, Optional.of("f.example"), "TLSv1.2", UNSHARED));
        seen.add(peer.line("failed", 4));
        return seen;
    }

    private SSLContext clientContext() throws Exception {
        Certificate certificate;
        try (InputStream in = Files.newInputStream(pair.certificate())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("site", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** Sends "hello" through a TLS session to {@code target} and returns the line back, or "closed". */
    private static String tls(SSLContext context, InetSocketAddress target, Optional<String> serverName,
                              String protocol, String suite) {
        return tls(context, target, parameters -> {
            parameters.setServerNames(serverName.<List<SNIServerName>>map(n -> List.of(new SNIHostName(n)))
                    .orElse(List.of()));
            parameters.setProtocols(new String[] {protocol});
            parameters.setCipherSuites(new String[] {suite});
        }).line();
    }

    /** What a TLS client got: the ALPN protocol agreed (empty for none) and the line back ("closed" for none). */
    private record Answer(String alpn, String line) {}

    /** Sends "hello" through a TLS session to {@code target}, its parameters set by {@code settings}. */
    private static Answer tls(SSLContext context, InetSocketAddress target, Consumer<SSLParameters> settings) {
        try (Socket plain = Loopback.connectFromClient(target, WAIT)) {
            plain.setSoTimeout((int) WAIT.toMillis());
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain,
                    target.getAddress().getHostAddress(), target.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            settings.accept(parameters);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String line = StreamSideBySide.firstLine(socket);
            return new Answer(socket.getApplicationProtocol(), line);
        } catch (IOException e) {
            return new Answer("", "closed");
        }
    }

    /**
     * A TLS server for one line per connection: reads a PROXY header in clear if one comes first, makes the
     * handshake with its certificate, and answers with the header's source, the SNI name it got and the line.
     */
    private static final class TlsBackend {
        private TlsBackend() {}

        static SocketBackend start(Certificates.Pair pair) throws Exception {
            Certificate certificate;
            try (InputStream in = Files.newInputStream(pair.certificate())) {
                certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            String pem = Files.readString(pair.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("db", key, new char[0], new Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return SocketBackend.start(connection -> serve(context, connection), WAIT);
        }

        private static void serve(SSLContext context, Socket connection) throws IOException {
            PushbackInputStream in = new PushbackInputStream(connection.getInputStream(), 1);
            String source = "-";
            int first = in.read();
            if (first == 'P') {
                StringBuilder header = new StringBuilder("P");
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) header.append((char) c);
                source = header.toString().split(" ")[2];
            } else if (first >= 0) {
                in.unread(first);
            }
            byte[] early = in.readNBytes(in.available());
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connection,
                    new ByteArrayInputStream(early), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            String sni = ((ExtendedSSLSession) tls.getSession()).getRequestedServerNames().stream()
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse("-");
            String line = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            tls.getOutputStream().write(("source=" + source + " sni=" + sni + " line=" + line + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
        }

    }

    /** Reads the PROXY header and the line behind it, in clear; answers with the header's source and the line. */
    private static void proxyHeaderAndLine(Socket socket) throws IOException {
        Optional<SocketBackend.Proxied> proxied = SocketBackend.readProxied(socket,
                rest -> new String(rest, StandardCharsets.US_ASCII).contains("\n"));
        if (proxied.isPresent()) {
            String rest = new String(proxied.get().rest(), StandardCharsets.US_ASCII);
            String answer = "source=" + proxied.get().header().header().sourceAddress()
                    .map(a -> a.getAddress().getHostAddress()).orElse("-")
                    + " line=" + rest.substring(0, rest.indexOf('\n'));
            socket.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
