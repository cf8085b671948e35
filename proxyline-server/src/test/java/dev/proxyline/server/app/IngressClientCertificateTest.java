package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.CertificateFiles;
import dev.proxyline.server.tls.CertifiedKey;
import dev.proxyline.server.tls.PemFile;
import dev.proxyline.server.tls.SelfSigned;
import dev.proxyline.server.tls.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_verify_client} end to end: a CA, a client it issued, one below an intermediate, a self-signed stranger;
 * the ingress on loopback answering with the variables or passing them to a backend, over HTTP/1.1 and HTTP/2, on
 * OpenSSL and (a server with two certificates) the JDK's engine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngressClientCertificateTest {
    private static final TestPki.Issued CA = TestPki.selfSigned("C=DE,O=Test Org,CN=Test Root", true);
    private static final TestPki.Issued INTERMEDIATE = TestPki.intermediate(CA, "CN=Test Intermediate");
    private static final TestPki.Issued CLIENT = TestPki.client(CA, "C=DE,O=Acme\\, Inc.,CN=client one",
            new BigInteger("0fed", 16), Duration.ofDays(10).minusHours(1));
    private static final TestPki.Issued BELOW = TestPki.client(INTERMEDIATE, "CN=client two", BigInteger.valueOf(5),
            Duration.ofDays(10));
    private static final TestPki.Issued STRANGER = TestPki.selfSigned("CN=stranger", false);
    private static final String VARIABLES = "$ssl_client_verify|$ssl_client_s_dn|$ssl_client_i_dn|$ssl_client_serial";

    @TempDir
    Path dir;

    private CertificateFiles serverCertificate(SelfSigned.KeyType type, String base) throws IOException {
        CertifiedKey key = SelfSigned.generate(type, "localhost", List.of("localhost", "a.test", "b.test"),
                List.of(InetAddress.getByName("127.0.0.1")), Instant.now(), Duration.ofDays(1));
        CertificateFiles files = new CertificateFiles(
                new PemFile(dir.resolve(base + ".crt"), "ssl_certificate", Optional.empty()),
                new PemFile(dir.resolve(base + ".key"), "ssl_certificate_key", Optional.empty()));
        SelfSigned.write(key, files.certificate().path(), files.key().path());
        return files;
    }

    /**
     * Ports: on (proxying, HTTP/2 too), optional (HTTP/2 too), optional_no_ca, depth 0, two certificates (the JDK's
     * engine, HTTP/2 too), two servers chosen by SNI name.
     */
    private record Ports(int on, int optional, int noCa, int depth0, int twoCertificates, int bySni) {}

    private Rig start(Ports p, int backend) throws Exception {
        serverCertificate(SelfSigned.KeyType.EC, "ingress");
        serverCertificate(SelfSigned.KeyType.RSA, "ingress-rsa");
        TestPki.writePem(dir.resolve("ca.pem"), CA.certificate());
        String answer = "location / { return 200 \"" + VARIABLES + "\\n\"; }";
        return Rig.start(dir, """
                http {
                    log_format verify '$status $ssl_client_verify';
                    map $ssl_client_verify $certificate_ok { SUCCESS yes; default no; }
                    ssl_certificate ingress.crt;
                    ssl_certificate_key ingress.key;
                    ssl_client_certificate ca.pem;
                    server {
                        listen 127.0.0.1:%d ssl http2;
                        ssl_verify_client on;
                        access_log access.log verify;
                        location / {
                            proxy_pass http://127.0.0.1:%d;
                            proxy_set_header ssl-client-verify $ssl_client_verify;
                            proxy_set_header ssl-client-subject-dn $ssl_client_s_dn;
                            proxy_set_header ssl-client-issuer-dn $ssl_client_i_dn;
                            proxy_set_header ssl-client-cert $ssl_client_escaped_cert;
                            proxy_set_header ssl-client-serial $ssl_client_serial;
                            proxy_set_header ssl-client-fingerprint $ssl_client_fingerprint;
                            proxy_set_header ssl-client-remain $ssl_client_v_remain;
                            proxy_set_header certificate-ok $certificate_ok;
                        }
                    }
                    server { listen 127.0.0.1:%d ssl http2; ssl_verify_client optional; %s }
                    server { listen 127.0.0.1:%d ssl; ssl_verify_client optional_no_ca; %s }
                    server { listen 127.0.0.1:%d ssl; ssl_verify_client on; ssl_verify_depth 0; %s }
                    server {
                        listen 127.0.0.1:%d ssl http2;
                        ssl_certificate ingress-rsa.crt;
                        ssl_certificate_key ingress-rsa.key;
                        ssl_verify_client on;
                        %s
                    }
                    server { listen 127.0.0.1:%d ssl; server_name a.test; ssl_verify_client on; %s }
                    server { listen 127.0.0.1:%d ssl; server_name b.test; %s }
                }
                """.formatted(p.on(), backend, p.optional(), answer, p.noCa(), answer, p.depth0(), answer,
                p.twoCertificates(), answer, p.bySni(), answer, p.bySni(), answer));
    }

    private static Ports ports() throws IOException {
        return new Ports(Rig.freePort(), Rig.freePort(), Rig.freePort(), Rig.freePort(), Rig.freePort(), Rig.freePort());
    }

    @Test
    void aVerifiedClientReachesTheBackendWithItsCertificateInHeaders() throws Exception {
        try (HttpBackend backend = HttpBackend.start()) {
            Ports p = ports();
            try (Rig rig = start(p, backend.port());
                 HttpExchangeClient c = http1(p.on(), "localhost", Optional.of(CLIENT))) {
                c.send("GET /app HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(200);
                HttpBackend.Seen seen = backend.requests.poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("ssl-client-verify")).isEqualTo("SUCCESS");
                assertThat(seen.header("ssl-client-subject-dn")).isEqualTo("CN=client one,O=Acme\\, Inc.,C=DE");
                assertThat(seen.header("ssl-client-issuer-dn")).isEqualTo("CN=Test Root,O=Test Org,C=DE");
                assertThat(seen.header("ssl-client-serial")).isEqualTo("0FED");
                assertThat(seen.header("ssl-client-fingerprint")).hasSize(40);
                assertThat(seen.header("ssl-client-remain")).isEqualTo("9");
                assertThat(seen.header("certificate-ok")).isEqualTo("yes");
                assertThat(java.net.URLDecoder.decode(seen.header("ssl-client-cert"), "UTF-8"))
                        .startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
                assertThat(Rig.awaitLog(dir.resolve("access.log"))).isEqualTo("200 SUCCESS\n");
            }
        }
    }

    @Test
    void withoutCertificateOrWithAStrangerTheRequestIsAnswered400AndLoggedAs400() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            try (HttpExchangeClient c = http1(p.on(), "localhost", Optional.empty())) {
                c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.body()).isEqualTo("400 No required SSL certificate was sent\n");
                assertThat(r.headers().get("connection")).isEqualTo("close");
            }
            assertThat(Rig.awaitLog(dir.resolve("access.log"))).isEqualTo("400 NONE\n");
            try (HttpExchangeClient c = http1(p.on(), "localhost", Optional.of(STRANGER))) {
                c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                HttpExchangeClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.body()).isEqualTo("400 The SSL certificate error\n");
            }
        }
    }

    @Test
    void optionalModesLetTheirCasesThrough() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            assertThat(get(p.optional(), Optional.empty())).isEqualTo("200 NONE|||\n");
            assertThat(get(p.optional(), Optional.of(CLIENT)))
                    .isEqualTo("200 SUCCESS|CN=client one,O=Acme\\, Inc.,C=DE|CN=Test Root,O=Test Org,C=DE|0FED\n");
            assertThat(get(p.optional(), Optional.of(STRANGER))).startsWith("400 ");
            assertThat(get(p.noCa(), Optional.of(STRANGER)))
                    .startsWith("200 FAILED:self-signed certificate|CN=stranger|CN=stranger|");
            assertThat(get(p.noCa(), Optional.empty())).isEqualTo("200 NONE|||\n");
        }
    }

    @Test
    void verifyDepthIsRespected() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            assertThat(get(p.optional(), Optional.of(BELOW))).startsWith("200 SUCCESS|CN=client two|CN=Test Intermediate|05");
            assertThat(get(p.depth0(), Optional.of(BELOW))).isEqualTo("400 400 The SSL certificate error\n");
            assertThat(get(p.depth0(), Optional.of(CLIENT))).startsWith("200 SUCCESS|");
        }
    }

    @Test
    void theServerTheSniNameChoosesAsksOrNot() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            assertThat(get(p.bySni(), "a.test", Optional.empty())).isEqualTo("400 400 No required SSL certificate was sent\n");
            assertThat(get(p.bySni(), "a.test", Optional.of(CLIENT))).startsWith("200 SUCCESS|");
            assertThat(get(p.bySni(), "b.test", Optional.empty())).isEqualTo("200 NONE|||\n");
            // As nginx: a Host naming a server with ssl_verify_client other than the SNI name is misdirected.
            assertThat(get(p.bySni(), "b.test", "a.test", Optional.of(CLIENT))).isEqualTo("421 421 Misdirected Request\n");
            // A server without it takes the request; the handshake (a.test's) asked for the certificate.
            assertThat(get(p.bySni(), "a.test", "b.test", Optional.of(CLIENT))).startsWith("200 SUCCESS|");
            assertThat(get(p.bySni(), "a.test", "A.Test:443", Optional.of(CLIENT))).startsWith("200 SUCCESS|");
        }
    }

    @Test
    void aServerWithTwoCertificatesOnTheJdkEngineVerifiesAlike() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            assertThat(get(p.twoCertificates(), Optional.of(CLIENT))).startsWith("200 SUCCESS|CN=client one");
            assertThat(get(p.twoCertificates(), Optional.of(STRANGER))).isEqualTo("400 400 The SSL certificate error\n");
            assertThat(get(p.twoCertificates(), Optional.empty())).isEqualTo("400 400 No required SSL certificate was sent\n");
        }
    }

    @Test
    void overHttp2Too() throws Exception {
        Ports p = ports();
        try (Rig rig = start(p, Rig.freePort())) {
            assertThat(h2(p.optional(), Optional.of(CLIENT))).startsWith("200 SUCCESS|CN=client one");
            assertThat(h2(p.optional(), Optional.of(STRANGER))).isEqualTo("400 400 The SSL certificate error\n");
            assertThat(h2(p.optional(), Optional.empty())).isEqualTo("200 NONE|||\n");
            assertThat(h2(p.twoCertificates(), Optional.of(CLIENT))).startsWith("200 SUCCESS|CN=client one");
            assertThat(h2(p.twoCertificates(), Optional.empty())).isEqualTo("400 400 No required SSL certificate was sent\n");
        }
    }

    private String h2(int port, Optional<TestPki.Issued> client) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(context(client)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        return r.statusCode() + " " + r.body();
    }

    private String get(int port, Optional<TestPki.Issued> client) throws Exception {
        return get(port, "localhost", client);
    }

    private String get(int port, String serverName, Optional<TestPki.Issued> client) throws Exception {
        return get(port, serverName, serverName, client);
    }

    private String get(int port, String serverName, String host, Optional<TestPki.Issued> client) throws Exception {
        try (HttpExchangeClient c = http1(port, serverName, client)) {
            c.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            HttpExchangeClient.Response r = c.read();
            return r.status() + " " + r.body();
        }
    }

    private HttpExchangeClient http1(int port, String serverName, Optional<TestPki.Issued> client) throws Exception {
        SSLSocket s = TlsClients.http1(Rig.client(port), context(client), serverName);
        return new HttpExchangeClient(s);
    }

    /** Trusts the ingress's certificate; presents {@code client}'s chain whatever issuers the server names. */
    private SSLContext context(Optional<TestPki.Issued> client) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        for (String base : List.of("ingress", "ingress-rsa")) {
            try (InputStream in = Files.newInputStream(dir.resolve(base + ".crt"))) {
                trusted.setCertificateEntry(base, CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(client.map(c -> new KeyManager[] {new Presenting(c)}).orElse(null), trust.getTrustManagers(), null);
        return context;
    }

    /** The JDK's own key managers send nothing when the issuer is not among the names the server sent. */
    private static final class Presenting extends X509ExtendedKeyManager {
        private final TestPki.Issued issued;

        Presenting(TestPki.Issued issued) {
            this.issued = issued;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return issued.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return issued.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
