package dev.proxyline.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Certificates;
import dev.proxyline.it.harness.Loopback;
import dev.proxyline.it.harness.NginxPeer;
import dev.proxyline.it.harness.Proxyline;
import dev.proxyline.it.harness.SocketBackend;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_buffer_size} in nginx and in proxyline: a 40000-byte response over TLS 1.3 comes in records that carry
 * at most the configured 4 KiB each (read raw off the socket after a JDK SSLEngine handshake: a record of 4096 bytes
 * of data is 4113 bytes with its content type and AEAD tag), not in the full 16 KiB records of the default.
 */
@Timeout(60)
class TlsRecordsLikeNginxTest {
    private static final int BODY = 40000;
    /** TLS 1.3's inner content type and a 16-byte AEAD tag, the overhead of every suite the JDK offers. */
    private static final int TLS13_OVERHEAD = 17;

    @TempDir
    Path directory;

    @Test
    void responsesAreWrittenInRecordsOfTheConfiguredSize() throws Exception {
        Certificates.Pair pair = Certificates.selfSigned(directory, "site", "site.test");
        InetSocketAddress nginxAddress = Loopback.freePort(Loopback.NGINX);
        InetSocketAddress proxylineAddress = Loopback.freePort(Loopback.PROXYLINE);
        Path nginxDirectory = Files.createDirectory(directory.resolve("nginx"));
        int nginxLargest;
        int proxylineLargest;
        try (SocketBackend backend = SocketBackend.start(TlsRecordsLikeNginxTest::largeResponse, Duration.ofSeconds(5))) {
            Function<InetSocketAddress, String> http = listen -> """
                        ssl_buffer_size 4k;
                        upstream app { server %s; }
                        server {
                            listen %s ssl;
                            ssl_certificate %s;
                            ssl_certificate_key %s;
                            ssl_protocols TLSv1.3;
                            location / { proxy_pass http://app; }
                        }
                    """.formatted(Loopback.hostPort(backend.address()), Loopback.hostPort(listen), pair.certificate(),
                    pair.key());
            try (NginxPeer nginx = NginxPeer.start(nginxDirectory, "http {\n"
                    + "    log_format pp '$remote_addr \"$request\" $status';\n"
                    + NginxPeer.httpHousekeeping(nginxDirectory) + http.apply(nginxAddress) + "}\n",
                    List.of(nginxAddress));
                 Proxyline proxyline = Proxyline.start(directory, "http {\n" + http.apply(proxylineAddress) + "}\n")) {
                nginxLargest = largestRecord(nginxAddress);
                proxylineLargest = largestRecord(proxylineAddress);
            }
        }
        assertThat(nginxLargest).as("nginx").isEqualTo(4096 + TLS13_OVERHEAD);
        assertThat(proxylineLargest).as("proxyline").isEqualTo(nginxLargest);
    }

    /** Reads the request head, then answers 40000 bytes and closes. */
    private static void largeResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return;
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + BODY + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write("a".repeat(BODY).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Shakes hands over TLS 1.3 with an SSLEngine, sends a GET, and returns the length of the largest application
     * data record that came back before the connection ended (the response at least: 40000 bytes in records).
     */
    private static int largestRecord(InetSocketAddress target) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {new TrustingAll()}, null);
        SSLEngine engine = context.createSSLEngine("site.test", target.getPort());
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        try (Socket socket = Loopback.connectFromClient(target, Duration.ofSeconds(5))) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteBuffer netIn = ByteBuffer.allocate(1 << 17);
            ByteBuffer plain = ByteBuffer.allocate(1 << 17);
            ByteBuffer netOut = ByteBuffer.allocate(1 << 17);
            engine.beginHandshake();
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            while (status != SSLEngineResult.HandshakeStatus.FINISHED
                    && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                switch (status) {
                    case NEED_WRAP -> {
                        netOut.clear();
                        status = engine.wrap(ByteBuffer.allocate(0), netOut).getHandshakeStatus();
                        out.write(netOut.array(), 0, netOut.position());
                    }
                    case NEED_TASK -> {
                        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                            task.run();
                        }
                        status = engine.getHandshakeStatus();
                    }
                    default -> {
                        netIn.flip();
                        SSLEngineResult result = engine.unwrap(netIn, plain);
                        netIn.compact();
                        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                            if (n < 0) throw new EOFException("closed during the handshake");
                            netIn.position(netIn.position() + n);
                        }
                        status = result.getHandshakeStatus();
                    }
                }
            }
            netOut.clear();
            engine.wrap(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: site.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)), netOut);
            out.write(netOut.array(), 0, netOut.position());
            // What the engine left unread starts at a record boundary; the rest follows raw.
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            raw.write(netIn.array(), 0, netIn.position());
            byte[] chunk = new byte[16384];
            try {
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) raw.write(chunk, 0, n);
            } catch (SocketException | SocketTimeoutException e) {
                // a reset or a peer that keeps the connection: what came so far is what is judged
            }
            return largestApplicationRecord(raw.toByteArray());
        }
    }

    private static int largestApplicationRecord(byte[] records) {
        ByteBuffer in = ByteBuffer.wrap(records);
        int largest = 0;
        int total = 0;
        while (in.remaining() >= 5) {
            int type = in.get();
            in.getShort();
            int length = in.getShort() & 0xffff;
            if (in.remaining() < length) break;
            in.position(in.position() + length);
            if (type == 23) {
                largest = Math.max(largest, length);
                total += length;
            }
        }
        assertThat(total).as("the response came whole").isGreaterThan(BODY);
        return largest;
    }

    /** The test's self-signed certificate is the only one it meets. */
    private static final class TrustingAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
