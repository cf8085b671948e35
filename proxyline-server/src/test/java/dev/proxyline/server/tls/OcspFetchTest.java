package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One exchange with a responder on a loopback socket: what is sent, what comes back, and how it fails. */
@Timeout(20)
class OcspFetchTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] REQUEST = "GET /x HTTP/1.0\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Future<byte[]> ask(InetSocketAddress to, Duration timeout) {
        return OcspFetch.ask(group.next(), Transport.nio(), to, REQUEST, timeout).awaitUninterruptibly();
    }

    /** Reads the request head, answers {@code answer} (or nothing), then closes (or keeps the socket open). */
    private static Thread serve(ServerSocket server, byte[] answer, boolean close, AtomicReference<String> got) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
                got.set(head.toString());
                OutputStream out = s.getOutputStream();
                out.write(answer);
                out.flush();
                if (!close) Thread.sleep(3000);
            } catch (Exception e) {
                // the test sees what came of it
            }
        });
        t.start();
        return t;
    }

    @Test
    void theRequestGoesOutAsItIsAndTheAnswerIsAllUntilTheResponderCloses() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            AtomicReference<String> got = new AtomicReference<>();
            byte[] answer = "HTTP/1.0 200 OK\r\n\r\n\u0030\u0003".getBytes(StandardCharsets.ISO_8859_1);
            Thread t = serve(server, answer, true, got);
            Future<byte[]> done = ask(new InetSocketAddress(LOOPBACK, server.getLocalPort()), Duration.ofSeconds(5));
            t.join();
            assertThat(done.isSuccess()).isTrue();
            assertThat(done.getNow()).isEqualTo(answer);
            assertThat(got.get()).isEqualTo(new String(REQUEST, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aResponderThatDoesNotCloseInTimeTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            Thread t = serve(server, "HTTP/1.0 200 OK\r\n".getBytes(StandardCharsets.US_ASCII), false,
                    new AtomicReference<>());
            Future<byte[]> done = ask(new InetSocketAddress(LOOPBACK, server.getLocalPort()), Duration.ofMillis(300));
            assertThat(done.cause()).isInstanceOf(OcspFetch.Failed.class).hasMessage("OCSP responder timed out");
            t.interrupt();
            t.join();
        }
    }

    @Test
    void aTooLongAnswerIsCutOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            Thread t = serve(server, new byte[OcspHttpAnswer.MAX_LENGTH + 1], false, new AtomicReference<>());
            Future<byte[]> done = ask(new InetSocketAddress(LOOPBACK, server.getLocalPort()), Duration.ofSeconds(5));
            assertThat(done.cause()).isInstanceOf(OcspFetch.Failed.class)
                    .hasMessageStartingWith("OCSP responder sent too long a response");
            t.interrupt();
            t.join();
        }
    }

    @Test
    void aClosedPortIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            port = server.getLocalPort();
        }
        Future<byte[]> done = ask(new InetSocketAddress(LOOPBACK, port), Duration.ofSeconds(5));
        assertThat(done.cause()).isInstanceOf(OcspFetch.Failed.class).hasMessageStartingWith("connect() failed (")
                .hasMessageContaining("Connection refused");
    }
}
