package dev.proxyline.server.app;

import static dev.proxyline.server.http.proxy.SocketPeers.drain;
import static dev.proxyline.server.http.proxy.SocketPeers.head;
import static dev.proxyline.server.http.proxy.SocketPeers.readSlowly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.tls.CertificateFiles;
import dev.proxyline.server.tls.CertifiedKey;
import dev.proxyline.server.tls.PemFile;
import dev.proxyline.server.tls.SelfSigned;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send_timeout} over TLS: the SslHandler queues each record on the socket as it makes it, so a client that
 * reads slowly but steadily is seen taking bytes there, as over plain HTTP/1.1, and gets the whole response.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendTimeoutTlsTest {
    private static final long LARGE = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void aTlsClientReadingSlowlyButSteadilyForSeveralSendTimeoutsGetsTheWholeResponse() throws Exception {
        CertificateFiles files = certificate();
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, front -> """
                     http {
                         server {
                             listen 127.0.0.1:%d ssl;
                             ssl_certificate ingress.crt;
                             ssl_certificate_key ingress.key;
                             send_timeout 1s;
                             location / { proxy_pass http://127.0.0.1:%d; }
                         }
                     }
                     """.formatted(front, backend.port()));
             SSLSocket tls = TlsClients.http1(smallWindowClient(rig.front), TlsClients.trusting(files), "localhost")) {
            tls.getOutputStream().write(("GET /bytes?n=" + LARGE + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = tls.getInputStream();
            assertThat(head(in)).startsWith("HTTP/1.1 200");

            long slowly = readSlowly(in, 4096, 200, 4_000);
            long rest = drain(in);

            assertThat(slowly + rest).as("body bytes after reading slowly for 4 send_timeouts").isEqualTo(LARGE);
        }
    }

    /** A client to {@code port} whose receive buffer is 4 KiB from its first segment on. */
    private static Socket smallWindowClient(int port) throws java.io.IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(5_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }

    /** A certificate for localhost, written as {@code dir/ingress.crt|key}. */
    private CertificateFiles certificate() throws Exception {
        CertifiedKey key = SelfSigned.generate(SelfSigned.KeyType.EC, "localhost", List.of("localhost"),
                List.of(), Instant.now(), Duration.ofDays(1));
        CertificateFiles files = new CertificateFiles(
                new PemFile(dir.resolve("ingress.crt"), "ssl_certificate", Optional.empty()),
                new PemFile(dir.resolve("ingress.key"), "ssl_certificate_key", Optional.empty()));
        SelfSigned.write(key, files.certificate().path(), files.key().path());
        return files;
    }
}
