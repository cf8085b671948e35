package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxyline demo} on the checkout's {@code examples/seed-chain.conf} as written, but on free ports: it
 * generates the development certificate, prints the two curl commands, and both requests, made from
 * 127.0.0.7 as the commands say, come back naming 127.0.0.7, not the balancer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoCommandTest {
    private static final String CLIENT = "127.0.0.7";

    @TempDir
    Path dir;

    @Test
    void theSeedChainAnswersBothCurlCommandsWithTheClientsOwnAddress() throws Exception {
        String example = Files.readString(Path.of(System.getProperty("proxyline.root", "..")).resolve(DemoCommand.SEED_CHAIN));
        int plain = freePort();
        int tls = freePort();
        String config = example.replace("18080", String.valueOf(plain)).replace("18443", String.valueOf(tls))
                .replace("18081", String.valueOf(freePort())).replace("18444", String.valueOf(freePort()))
                .replace("18090", String.valueOf(freePort()));
        Path file = dir.resolve("seed-chain.conf");
        Files.writeString(file, config);
        AtomicReference<Runnable> stop = new AtomicReference<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.create(
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), stop::set)
                .execute("demo", "-c", file.toString()));
        try {
            awaitGuide(out, exit, err);
            Path certificate = dir.resolve(".proxyline/dev-cert/localhost.crt");
            assertThat(out.toString())
                    .contains("  curl --interface 127.0.0.7 http://127.0.0.1:" + plain + "/\n")
                    .contains("  curl --interface 127.0.0.7 --cacert " + certificate + " https://127.0.0.1:" + tls + "/\n")
                    .contains("not the balancer's 127.0.0.2");

            try (Socket s = clientSocket(plain)) {
                assertThat(get(s)).contains("client 127.0.0.7 (via the balancer 127.0.0.2)\n",
                        "X-Forwarded-For: 127.0.0.7\n", "X-Forwarded-Proto: http\n");
            }
            try (SSLSocket s = tls(clientSocket(tls), certificate)) {
                assertThat(get(s)).contains("client 127.0.0.7 (via the balancer 127.0.0.2)\n",
                        "X-Forwarded-For: 127.0.0.7\n", "X-Forwarded-Proto: https\n");
            }
        } finally {
            if (stop.get() != null) stop.get().run();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    private static void awaitGuide(StringWriter out, CompletableFuture<Integer> exit, StringWriter err)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && !out.toString().contains("Ctrl-C stops") && !exit.isDone()) {
            Thread.sleep(20);
        }
        assertThat(exit).as("demo returned early: " + out + err).isNotDone();
        assertThat(out.toString()).contains("Ctrl-C stops");
    }

    /** Connected from {@link #CLIENT}, as {@code curl --interface 127.0.0.7} connects. */
    private static Socket clientSocket(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        return s;
    }

    /** TLS over {@code raw}, trusting only {@code certificate} and checking it names 127.0.0.1, as curl --cacert does. */
    private static SSLSocket tls(Socket raw, Path certificate) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("dev", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", raw.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static String get(Socket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 200 ");
        return response;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
