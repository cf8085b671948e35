package dev.proxyline.server.http.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.HttpServer;
import dev.proxyline.config.LoadResult;
import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.protocol.netty.TrustPolicy;
import dev.proxyline.server.tls.CertificateFiles;
import dev.proxyline.server.tls.CertificateStore;
import dev.proxyline.server.tls.DevelopmentCertificate;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.tls.PemFile;
import dev.proxyline.server.tls.PemKeys;
import dev.proxyline.server.tls.SelfSigned;
import dev.proxyline.server.tls.ServerContexts;
import dev.proxyline.server.tls.TestCertificates;
import dev.proxyline.server.tls.TlsPlanner;
import dev.proxyline.server.tls.TlsSetupException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpConnectionStagesTest {
    private static final System.Logger LOG = System.getLogger(HttpConnectionStagesTest.class.getName());

    @TempDir
    Path dir;

    /** Four servers on one ssl socket: exact, wildcard, an RSA + ECDSA pair, and the default. */
    private ListenTls sniSocket(SslProvider provider) throws TlsSetupException {
        TestCertificates.write(dir, "default", SelfSigned.KeyType.EC, "default.test");
        TestCertificates.write(dir, "a", SelfSigned.KeyType.EC, "a.example.com");
        TestCertificates.write(dir, "org", SelfSigned.KeyType.RSA, "*.example.org");
        TestCertificates.write(dir, "dual-rsa", SelfSigned.KeyType.RSA, "dual-rsa.example.net");
        TestCertificates.write(dir, "dual-ec", SelfSigned.KeyType.EC, "dual-ec.example.net");
        return listenTls("""
                server { listen 443 ssl; server_name a.example.com; ssl_certificate a.crt; ssl_certificate_key a.key; }
                server { listen 443 ssl default_server; ssl_certificate default.crt; ssl_certificate_key default.key; }
                server { listen 443 ssl; server_name *.example.org; ssl_certificate org.crt; ssl_certificate_key org.key; }
                server {
                    listen 443 ssl; server_name dual.example.net;
                    ssl_certificate dual-rsa.crt; ssl_certificate_key dual-rsa.key;
                    ssl_certificate dual-ec.crt; ssl_certificate_key dual-ec.key;
                }
                """, provider);
    }

    private ListenTls listenTls(String servers, SslProvider provider) throws TlsSetupException {
        LoadResult result = ConfigLoader.parse("test.conf", "http {\n" + servers + "\n}\n", dir);
        assertThat(result.errors()).isEmpty();
        List<HttpServer> parsed = ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
        return ListenTls.build(new TlsPlanner(dir).plan("*:443", parsed), certificates(), new ServerContexts(provider));
    }

    private CertificateStore certificates() {
        return new CertificateStore(new DevelopmentCertificate(dir.resolve("dev-cert"), Clock.systemUTC(), LOG));
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void sniChoosesTheCertificateOfTheNamedServerAndTheDefaultOtherwise(SslProvider provider) throws Exception {
        try (StagesServer server = new StagesServer(Optional.of(sniSocket(provider)), false, false)) {
            TlsClient.Exchange exact = new TlsClient().serverName("a.example.com").get(server.port());
            assertThat(exact.subject()).isEqualTo("O=proxyline,CN=a.example.com");
            assertThat(exact.body()).contains("sni=a.example.com\n", "alpn=http/1.1\n", "protocol=HTTP/1.1\n",
                    "scheme=https\n", "active=true\n");
            TlsClient.Exchange wildcard = new TlsClient().serverName("WWW.Example.org").get(server.port());
            assertThat(wildcard.subject()).isEqualTo("O=proxyline,CN=*.example.org");
            assertThat(wildcard.body()).contains("sni=www.example.org\n");
            assertThat(new TlsClient().serverName("unknown.test").get(server.port()).subject())
                    .isEqualTo("O=proxyline,CN=default.test");
            TlsClient.Exchange none = new TlsClient().get(server.port());
            assertThat(none.subject()).isEqualTo("O=proxyline,CN=default.test");
            assertThat(none.body()).contains("sni=-\n");
            assertThat(server.handshakes.completed()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void rsaAndEcdsaCertificatesOfOneServerAreChosenByWhatTheClientSupports(SslProvider provider) throws Exception {
        try (StagesServer server = new StagesServer(Optional.of(sniSocket(provider)), false, false)) {
            TlsClient client = new TlsClient().serverName("dual.example.net").protocols("TLSv1.2");
            assertThat(client.suites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").get(server.port()).subject())
                    .isEqualTo("O=proxyline,CN=dual-ec.example.net");
            assertThat(client.suites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").get(server.port()).subject())
                    .isEqualTo("O=proxyline,CN=dual-rsa.example.net");
            assertThat(new TlsClient().serverName("dual.example.net").protocols("TLSv1.3").get(server.port()).body())
                    .contains("tls=TLSv1.3\n");
        }
    }

    @Test
    void tls12AndTls13AreBothOfferedByDefaultAndReachTheRequestStage() throws Exception {
        try (StagesServer server = new StagesServer(Optional.of(sniSocket(SslProvider.OPENSSL)), false, false)) {
            TlsClient.Exchange v12 = new TlsClient().protocols("TLSv1.2").get(server.port());
            assertThat(v12.protocol()).isEqualTo("TLSv1.2");
            assertThat(v12.body()).contains("tls=TLSv1.2\n", "cipher=ECDHE-ECDSA-");
            TlsClient.Exchange v13 = new TlsClient().protocols("TLSv1.3").get(server.port());
            assertThat(v13.body()).contains("tls=TLSv1.3\n", "cipher=TLS_AES_");
        }
    }

    @Test
    void sslProtocolsTls13OnlyRefusesATls12ClientAndCountsIt() throws Exception {
        TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        ListenTls tls = listenTls("server { listen 443 ssl; ssl_protocols TLSv1.3; "
                + "ssl_certificate site.crt; ssl_certificate_key site.key; }", SslProvider.OPENSSL);
        try (StagesServer server = new StagesServer(Optional.of(tls), false, false)) {
            assertThatThrownBy(() -> new TlsClient().protocols("TLSv1.2").get(server.port())).isInstanceOf(SSLException.class);
            assertThat(new TlsClient().protocols("TLSv1.3", "TLSv1.2").get(server.port()).protocol()).isEqualTo("TLSv1.3");
            awaitCount(() -> server.handshakes.failed(TlsHandshakes.Failure.REFUSED), 1);
        }
    }

    @Test
    void plainHttpOnAnSslSocketIsClosedAndCountedAsNotTls() throws Exception {
        try (StagesServer server = new StagesServer(Optional.of(sniSocket(SslProvider.OPENSSL)), false, false);
             Socket s = new Socket(StagesServer.LOOPBACK, server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            awaitCount(() -> server.handshakes.failed(TlsHandshakes.Failure.NOT_TLS), 1);
        }
    }

    @Test
    void aClientThatSendsNoClientHelloOrNoPrefaceIsClosedAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(300);
        try (StagesServer tls = new StagesServer(Optional.of(sniSocket(SslProvider.OPENSSL)), false, false, deadline);
             StagesServer h2c = new StagesServer(Optional.empty(), true, false, deadline);
             Socket silentTls = new Socket(StagesServer.LOOPBACK, tls.port());
             Socket halfPreface = new Socket(StagesServer.LOOPBACK, h2c.port())) {
            silentTls.setSoTimeout(10_000);
            halfPreface.setSoTimeout(10_000);
            halfPreface.getOutputStream().write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(silentTls.getInputStream().read()).isEqualTo(-1);
            assertThat(halfPreface.getInputStream().read()).isEqualTo(-1);
            awaitCount(() -> tls.handshakes.failed(TlsHandshakes.Failure.TIMEOUT), 1);
        }
    }

    @Test
    void aProxyV1HeaderBeforeTheClientHelloReachesTheRequestStage() throws Exception {
        try (StagesServer server = new StagesServer(Optional.of(sniSocket(SslProvider.OPENSSL)), false, true)) {
            TlsClient.Exchange e = new TlsClient().serverName("a.example.com")
                    .proxyHeader("PROXY TCP4 203.0.113.7 127.0.0.1 51234 443\r\n").get(server.port());
            assertThat(e.subject()).isEqualTo("O=proxyline,CN=a.example.com");
            assertThat(e.body()).contains("client=/203.0.113.7:51234\n", "sni=a.example.com\n", "active=true\n");
        }
    }

    @Test
    void openSslIsTheEngineWhenItLoads() throws Exception {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative-boringssl-static on the test class path").isTrue();
        assertThat(ServerContexts.preferredProvider()).isEqualTo(SslProvider.OPENSSL);
        ListenTls tls = sniSocket(ServerContexts.preferredProvider());
        assertThat(tls.provider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(tls.map("a.example.com")).isInstanceOf(OpenSslContext.class);
        assertThat(tls.map("dual.example.net")).as("several certificates: the JDK's engine").isNotInstanceOf(OpenSslContext.class);
        assertThat(sniSocket(SslProvider.JDK).map("a.example.com")).isNotInstanceOf(OpenSslContext.class);
    }

    @Test
    void http2ByAlpnServesConcurrentStreamsOfOneConnectionWithTheDevelopmentCertificate() throws Exception {
        ListenTls tls = listenTls("server { listen 443 ssl http2; }", ServerContexts.preferredProvider());
        Path devCertificate = dir.resolve("dev-cert").resolve("localhost.crt");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(devCertificate))
                .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        try (StagesServer server = new StagesServer(Optional.of(tls), true, false)) {
            URI uri = URI.create("https://127.0.0.1:" + server.port() + "/");
            // One request first, so that the others find the HTTP/2 connection and multiplex on it.
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.body()).contains("protocol=HTTP/2.0\n", "alpn=h2\n", "tls=TLSv1.3\n", "serial=1\n");
            List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                streams.add(client.sendAsync(HttpRequest.newBuilder(uri.resolve("/s" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : streams) {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.body()).contains("serial=1\n", "protocol=HTTP/2.0\n");
            }
        }
    }

    @Test
    void aSocketWithHttp2ButNoSslServesH2cWithPriorKnowledgeAndHttp11() throws Exception {
        try (StagesServer server = new StagesServer(Optional.empty(), true, false)) {
            assertThat(H2cClient.get(server.port())).contains("protocol=HTTP/2.0\n", "scheme=http\n", "tls=-\n");
            try (Socket s = new Socket(StagesServer.LOOPBACK, server.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(TlsClient.readResponseBody(s.getInputStream())).contains("protocol=HTTP/1.1\n", "active=true\n");
            }
        }
    }

    @Test
    void aPlainSocketServesHttp11AfterTheProxyHeader() throws Exception {
        try (StagesServer server = new StagesServer(Optional.empty(), false, true);
             Socket s = new Socket(StagesServer.LOOPBACK, server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(TlsClient.readResponseBody(s.getInputStream()))
                    .contains("protocol=HTTP/1.1\n", "client=/203.0.113.7:51234\n", "active=true\n",
                            // The PROXY stage left, and nothing stayed behind that only waited for it.
                            "handlers=" + ConnectionStageNames.HTTP1_CODEC + "," + ConnectionStageNames.REQUEST + "\n");
        }
    }

    @Test
    void aPlainSocketWithoutProxyProtocolServesHttp11WithOnlyTheCodecAndTheRequestHandler() throws Exception {
        try (StagesServer server = new StagesServer(Optional.empty(), false, false);
             Socket s = new Socket(StagesServer.LOOPBACK, server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(TlsClient.readResponseBody(s.getInputStream()))
                    .contains("protocol=HTTP/1.1\n", "client=-\n", "active=true\n",
                            "handlers=" + ConnectionStageNames.HTTP1_CODEC + "," + ConnectionStageNames.REQUEST + "\n");
        }
    }

    @Test
    void installingBehindAProxyStageAlreadyInThePipelineIsRefused() {
        HttpConnectionStages stages = HttpConnectionStages.forListen(Optional.empty(), false, Duration.ofSeconds(1),
                new FactsRequestStage(), new TlsHandshakes(RejectionLog.standard()));
        EmbeddedChannel channel = new EmbeddedChannel();
        new ProxyReceiveStage(ReceiveSettings.of(TrustPolicy.requireFromAll()), new ProxyCounters(),
                RejectionLog.standard()).addFirst(channel.pipeline());
        assertThatThrownBy(() -> stages.install(channel, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("installBehind");
        channel.finishAndReleaseAll();
    }

    @Test
    void startupProblemsNameTheDirectivesPosition() {
        assertThatThrownBy(() -> listenTls("server {\n listen 443 ssl;\n ssl_certificate missing.crt;\n"
                + " ssl_certificate_key missing.key;\n}", SslProvider.JDK))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems()).hasSize(2)
                        .allMatch(p -> p.contains("NoSuchFileException"))
                        .anyMatch(p -> p.startsWith("test.conf:4:18: \"ssl_certificate\" file " + dir.resolve("missing.crt")))
                        .anyMatch(p -> p.startsWith("test.conf:5:22: \"ssl_certificate_key\" file ")));
    }

    @Test
    void problemsOfEverySocketAreReportedTogether() {
        LoadResult result = ConfigLoader.parse("test.conf", """
                http {
                    server { listen 443 ssl; ssl_certificate a.crt; ssl_certificate_key a.key; }
                    server { listen 8443 ssl; ssl_certificate b.crt; ssl_certificate_key b.key; }
                    server { listen 9443 ssl; }
                }
                """, dir);
        List<HttpServer> servers = ((LoadResult.Loaded) result).config().http().orElseThrow().servers();
        assertThatThrownBy(() -> ListenTls.buildAll(new TlsPlanner(dir).plan(servers), certificates(),
                new ServerContexts(SslProvider.JDK)))
                .isInstanceOfSatisfying(TlsSetupException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.substring(0, p.indexOf(':', "test.conf:".length() + 2)))
                        .containsExactly("test.conf:2:46", "test.conf:2:73", "test.conf:3:47", "test.conf:3:74"));
        assertThat(dir.resolve("dev-cert/localhost.crt")).as("the third socket got the development certificate").exists();
    }

    @Test
    void cipherStringThatSelectsNothingForTls12IsAStartupProblem() {
        TestCertificates.write(dir, "site", SelfSigned.KeyType.EC, "site.test");
        assertThatThrownBy(() -> listenTls("server { listen 443 ssl; ssl_ciphers RC4; "
                + "ssl_certificate site.crt; ssl_certificate_key site.key; }", SslProvider.JDK))
                .hasMessage("\"ssl_ciphers RC4\" selects no cipher suite for TLSv1.2, TLSv1.3 "
                        + "(TLS 1.3 suites are not affected by ssl_ciphers)");
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("dev", PemKeys.load(new CertificateFiles(new PemFile(certificate, "test", Optional.empty()),
                new PemFile(certificate.resolveSibling("localhost.key"), "test", Optional.empty()))).leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }

    /** Minimal HTTP/2 with prior knowledge: preface, SETTINGS, one GET, then the DATA of stream 1 until END_STREAM. */
    private static final class H2cClient {
        static String get(int port) throws Exception {
            try (Socket s = new Socket(StagesServer.LOOPBACK, port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(frame(0x4, 0, 0, new byte[0]));
                // HPACK: :method GET, :scheme http, :path / (static table), :authority "localhost" (literal).
                byte[] block = {(byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
                out.write(frame(0x1, 0x5, 1, block));
                out.flush();
                InputStream in = s.getInputStream();
                StringBuilder body = new StringBuilder();
                while (true) {
                    byte[] header = in.readNBytes(9);
                    if (header.length < 9) throw new AssertionError("closed before the response ended: " + body);
                    int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                    int type = header[3];
                    int flags = header[4];
                    int stream = (header[5] & 0x7f) << 24 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | header[8] & 0xff;
                    byte[] payload = in.readNBytes(length);
                    if (stream == 1 && type == 0x0) body.append(new String(payload, StandardCharsets.UTF_8));
                    if (stream == 1 && (flags & 0x1) != 0) return body.toString();
                }
            }
        }

        private static byte[] frame(int type, int flags, int stream, byte[] payload) {
            byte[] f = new byte[9 + payload.length];
            f[0] = (byte) (payload.length >>> 16);
            f[1] = (byte) (payload.length >>> 8);
            f[2] = (byte) payload.length;
            f[3] = (byte) type;
            f[4] = (byte) flags;
            f[5] = (byte) (stream >>> 24);
            f[6] = (byte) (stream >>> 16);
            f[7] = (byte) (stream >>> 8);
            f[8] = (byte) stream;
            System.arraycopy(payload, 0, f, 9, payload.length);
            return f;
        }
    }
}
