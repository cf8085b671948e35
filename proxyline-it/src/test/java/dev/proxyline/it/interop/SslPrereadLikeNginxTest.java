package dev.proxyline.it.interop;

import static dev.proxyline.it.harness.StreamSideBySide.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SocketBackend;
import dev.proxyline.it.harness.StreamSideBySide;
import dev.proxyline.it.harness.StreamSideBySide.Peer;
import dev.proxyline.it.harness.StreamSideBySide.Transcript;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.stream.preread.ClientHelloParser;
import dev.proxyline.server.stream.preread.PrereadResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough routed by SNI: the same stream block, word for word, in nginx 1.22's stream module (with
 * {@code ngx_stream_ssl_preread_module}) and in proxyline on each of its session paths ({@link StreamSideBySide}:
 * raw descriptors, Netty channels on epoll, NIO). {@code proxy_pass} takes a {@code map} of
 * {@code $ssl_preread_server_name} (an upstream name, an address) or of {@code $ssl_preread_protocol}; real TLS
 * clients (the JDK's) reach loopback TLS backends
 * through it. Compared, step by step: what each client got (its backend's word, an echo, or the connection closed)
 * and the access log line {@code $remote_addr $status $ssl_preread_server_name|$ssl_preread_alpn_protocols|
 * $ssl_preread_protocol $upstream_addr}. Steps: a.example with ALPN to an upstream block, b.example TLS 1.2 only to
 * an address, no SNI to the default, plain text (not TLS), a hello larger than {@code preread_buffer_size}, a
 * truncated hello and FIN, a stalled one past {@code preread_timeout}, and {@code proxy_protocol on} with the hello
 * behind the PROXY header. proxyline alone: the v2 header's authority TLV from {@code $ssl_preread_server_name}
 * (nginx sends only v1 and no TLVs).
 */
@Timeout(120)
class SslPrereadLikeNginxTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String STREAM = """
            stream {
                log_format preread '$remote_addr $status $ssl_preread_server_name|$ssl_preread_alpn_protocols|$ssl_preread_protocol $upstream_addr';
                map $ssl_preread_server_name $by_name {
                    a.example up_a;
                    b.example %5$s;
                    default %6$s;
                }
                map $ssl_preread_protocol $by_protocol {
                    "" %7$s;
                    default %6$s;
                }
                upstream up_a { server %4$s; }
                server {
                    listen %1$s;
                    ssl_preread on;
                    access_log by_name.log preread;
                    proxy_pass $by_name;
                }
                server {
                    listen %2$s;
                    ssl_preread on;
                    preread_buffer_size 1k;
                    preread_timeout 1s;
                    access_log bounded.log preread;
                    proxy_pass $by_protocol;
                }
                server {
                    listen %3$s;
                    ssl_preread on;
                    access_log proxied.log preread;
                    proxy_protocol on;
                    proxy_pass %8$s;
                }
            }
            """;

    @TempDir
    Path directory;

    private SSLContext serverTls;
    private SSLContext clientTls;

    @BeforeEach
    void certificates() throws Exception {
        Certificates.Pair pair = Certificates.selfSigned(directory, "backend", "backend.test");
        Certificate certificate;
        try (InputStream in = Files.newInputStream(pair.certificate())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(pair.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("backend", key, new char[0], new Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("backend", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
    }

    @Test
    void routesByServerNameAndLogsThePrereadVariablesAsNginxDoes() throws Exception {
        try (SocketBackend a = SocketBackend.start(this::tlsWordA, WAIT);
             SocketBackend b = SocketBackend.start(s -> tlsWord(s, "B"), WAIT);
             SocketBackend fallback = SocketBackend.start(s -> tlsWord(s, "D"), WAIT);
             SocketBackend echo = SocketBackend.start(SocketBackend::echoLine, WAIT);
             SocketBackend proxied = SocketBackend.start(SslPrereadLikeNginxTest::proxyHeaderAndHello, WAIT)) {
            Backends backends = new Backends(a, b, fallback, echo, proxied);
            Function<List<InetSocketAddress>, String> stream = listens -> config(listens, backends);
            Transcript nginx = StreamSideBySide.nginx(directory, 3, stream, this::run);
            assertThat(nginx.logged("preread buffer full")).isTrue();
            List<String> fromNginx = nginx.steps();
            // The transcript as nginx made it, so that an equal proxyline one cannot be equal by both doing nothing.
            assertThat(fromNginx).containsExactly(
                    "a.example with ALPN: A",
                    "by_name: 127.0.0.7 200 a.example|h2,http/1.1|TLSv1.3 " + Loopback.hostPort(a.address()),
                    "b.example, TLS 1.2 only: B",
                    "by_name: 127.0.0.7 200 b.example||TLSv1.3 " + Loopback.hostPort(b.address()),
                    "no server name: D",
                    "by_name: 127.0.0.7 200 ||TLSv1.3 " + Loopback.hostPort(fallback.address()),
                    "plain text: GET / HTTP/1.0",
                    "bounded: 127.0.0.7 200 -|-|- " + Loopback.hostPort(echo.address()),
                    "c.example: D",
                    "bounded: 127.0.0.7 200 c.example||TLSv1.3 " + Loopback.hostPort(fallback.address()),
                    "hello larger than the buffer: closed",
                    "bounded: 127.0.0.7 400 || -",
                    "truncated hello and FIN: closed",
                    "bounded: 127.0.0.7 200 || -",
                    "stalled hello: closed",
                    "bounded: 127.0.0.7 200 || -",
                    "behind a PROXY header: source=127.0.0.7 sni=p.example",
                    "proxied: 127.0.0.7 200 p.example|http/1.1|TLSv1.3 " + Loopback.hostPort(proxied.address()));
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                assertThat(StreamSideBySide.proxyline(directory, 3, stream, path, this::run).steps())
                        .containsExactlyElementsOf(fromNginx);
            }
        }
    }

    @Test
    void theServerNameGoesUpstreamAsTheAuthorityTlvOfAVersion2Header() throws Exception {
        String config = """
                stream {
                    server {
                        listen %s;
                        ssl_preread on;
                        proxy_protocol on;
                        proxy_protocol_version 2;
                        proxy_protocol_tlv authority $ssl_preread_server_name;
                        proxy_pass %s;
                    }
                }
                """;
        try (SocketBackend proxied = SocketBackend.start(SslPrereadLikeNginxTest::proxyHeaderAndHello, WAIT)) {
            for (UnaryOperator<RunOptions> path : StreamSideBySide.paths()) {
                InetSocketAddress listen = Loopback.freePort(Loopback.PROXYLINE);
                Path dir = Files.createDirectories(Files.createTempDirectory(directory, "tlv"));
                try (Proxyline proxyline = Proxyline.start(dir, config.formatted(Loopback.hostPort(listen),
                        Loopback.hostPort(proxied.address())), path)) {
                    assertThat(rawHello(listen, "tlv.example")).isEqualTo(
                            "source=127.0.0.7 sni=tlv.example authority=tlv.example");
                }
            }
        }
    }

    // --- the steps ---------------------------------------------------------------------------------------

    private List<String> run(Peer peer) throws Exception {
        List<String> seen = new ArrayList<>();
        InetSocketAddress byName = peer.listen(0);
        InetSocketAddress bounded = peer.listen(1);
        InetSocketAddress proxied = peer.listen(2);

        seen.add("a.example with ALPN: " + tls(byName, Optional.of("a.example"), List.of("h2", "http/1.1"),
                "TLSv1.3", "TLSv1.2"));
        seen.add(peer.line("by_name", 1));
        seen.add("b.example, TLS 1.2 only: " + tls(byName, Optional.of("b.example"), List.of(), "TLSv1.2"));
        seen.add(peer.line("by_name", 2));
        seen.add("no server name: " + tls(byName, Optional.empty(), List.of(), "TLSv1.3"));
        seen.add(peer.line("by_name", 3));

        seen.add("plain text: " + plain(bounded, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false));
        seen.add(peer.line("bounded", 1));
        seen.add("c.example: " + tls(bounded, Optional.of("c.example"), List.of(), "TLSv1.3"));
        seen.add(peer.line("bounded", 2));
        // A record announcing 2 KiB of ClientHello: the 1k buffer fills before it is complete.
        byte[] large = new byte[1100];
        System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x08, 0x00, 0x01, 0x00, 0x07, (byte) 0xFC}, 0, large, 0, 9);
        seen.add("hello larger than the buffer: " + plain(bounded, large, false));
        seen.add(peer.line("bounded", 3));
        seen.add("truncated hello and FIN: " + plain(bounded, Arrays.copyOf(ClientHellos.jdk("t.example"), 40), true));
        seen.add(peer.line("bounded", 4));
        seen.add("stalled hello: " + plain(bounded, new byte[] {0x16, 0x03, 0x01}, false));
        seen.add(peer.line("bounded", 5));

        seen.add("behind a PROXY header: " + rawHello(proxied, "p.example"));
        seen.add(peer.line("proxied", 1));
        return seen;
    }

    /** A TLS session through {@code target}: the backend's word, or "closed". */
    private String tls(InetSocketAddress target, Optional<String> serverName, List<String> alpn, String... protocols) {
        try (Socket plain = Loopback.connectFromClient(target, WAIT)) {
            SSLSocket socket = (SSLSocket) clientTls.getSocketFactory().createSocket(plain,
                    target.getAddress().getHostAddress(), target.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName.<List<SNIServerName>>map(n -> List.of(new SNIHostName(n)))
                    .orElse(List.of()));
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            parameters.setProtocols(protocols);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line == null ? "closed" : line;
        } catch (IOException e) {
            return "closed";
        }
    }

    /** Sends a JDK ClientHello for {@code serverName} (ALPN http/1.1) and returns what the backend saw of it. */
    private static String rawHello(InetSocketAddress target, String serverName) throws Exception {
        return plain(target, ClientHellos.jdk(serverName), false);
    }

    private static String config(List<InetSocketAddress> listens, Backends backends) {
        return STREAM.formatted(Loopback.hostPort(listens.get(0)), Loopback.hostPort(listens.get(1)),
                Loopback.hostPort(listens.get(2)), Loopback.hostPort(backends.a().address()),
                Loopback.hostPort(backends.b().address()), Loopback.hostPort(backends.fallback().address()),
                Loopback.hostPort(backends.echo().address()), Loopback.hostPort(backends.proxied().address()));
    }

    // --- backends ----------------------------------------------------------------------------------------

    private void tlsWordA(Socket socket) throws IOException {
        tlsWord(socket, "A");
    }

    /** Completes a TLS handshake on {@code socket} as a server and writes {@code word} and a line end. */
    private void tlsWord(Socket socket, String word) throws IOException {
        SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        tls.getOutputStream().write((word + "\n").getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
        tls.close();
    }

    private record Backends(SocketBackend a, SocketBackend b, SocketBackend fallback, SocketBackend echo,
                            SocketBackend proxied) {
    }

    /**
     * Reads the PROXY header (v1 or v2) and the ClientHello behind it, and answers with the header's source,
     * the hello's server name and the header's authority TLV, if any.
     */
    private static void proxyHeaderAndHello(Socket socket) throws IOException {
        Optional<SocketBackend.Proxied> proxied = SocketBackend.readProxied(socket,
                rest -> !(ClientHelloParser.parse(rest, 0, rest.length) instanceof PrereadResult.NeedMore));
        if (proxied.isEmpty()) {
            return;
        }
        byte[] rest = proxied.get().rest();
        PrereadResult hello = ClientHelloParser.parse(rest, 0, rest.length);
        ProxyHeader h = proxied.get().header().header();
        String answer = "source=" + h.sourceAddress().map(a -> a.getAddress().getHostAddress()).orElse("-")
                + " sni=" + (hello instanceof PrereadResult.Hello found ? found.hello().serverName() : "-")
                + h.tlv(Tlv.Authority.class).map(t -> " authority=" + t.hostName()).orElse("");
        socket.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** ClientHellos made by the JDK's TLS engine, as its clients send them. */
    private static final class ClientHellos {
        static byte[] jdk(String serverName) throws IOException {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, null, null);
                SSLEngine engine = context.createSSLEngine(serverName, 443);
                engine.setUseClientMode(true);
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                engine.setSSLParameters(parameters);
                ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                engine.wrap(ByteBuffer.allocate(0), out);
                return Arrays.copyOf(out.array(), out.position());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
    }
}
