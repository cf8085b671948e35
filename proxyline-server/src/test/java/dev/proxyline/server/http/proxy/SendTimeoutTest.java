package dev.proxyline.server.http.proxy;

import static dev.proxyline.server.http.proxy.SocketPeers.drain;
import static dev.proxyline.server.http.proxy.SocketPeers.head;
import static dev.proxyline.server.http.proxy.SocketPeers.readSlowly;
import static dev.proxyline.server.http.proxy.SocketPeers.writeZeros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.transport.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send_timeout} and {@code proxy_send_timeout} as nginx means them, over HTTP/1.1: the time between
 * two writes that the peer took something of, not the time the queue stays full. A peer reading a few KiB
 * every 200 ms (far less than the half of the 64 KiB queue a second that draining it below its low
 * watermark would need) for several timeouts is served whole; one that takes nothing is cut after one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendTimeoutTest {
    /** More than the kernel's buffers on both sides and the ingress's queue hold, so the slow reader is what paces. */
    private static final long LARGE = 16L << 20;
    private static final String TIMEOUTS = "send_timeout 1s; proxy_send_timeout 1s;";

    @TempDir
    Path dir;

    @Test
    void aClientReadingSlowlyButSteadilyForSeveralSendTimeoutsGetsTheWholeResponse() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             Socket client = SocketPeers.client(rig.address(), 4096)) {
            client.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            assertThat(head(in)).startsWith("HTTP/1.1 200");

            long slowly = readSlowly(in, 4096, 200, 4_000);
            long rest = drain(in);

            assertThat(slowly + rest).as("body bytes after reading slowly for 4 send_timeouts").isEqualTo(LARGE);
            assertThat(rig.counters.get(HttpCounters.Reason.SEND_TIMEOUT)).isZero();
        }
    }

    /**
     * NIO has no kernel clock to ask, so only the queue's head shows the progress; a fixed send buffer lets the
     * kernel wake the writer often enough, as autotuned megabytes would not (a third of the buffer must be free).
     */
    @Test
    void onNioTheQueuesHeadAloneShowsASlowButSteadyClientsProgress() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS),
                     Transport.nio(), 16384);
             Socket client = SocketPeers.client(rig.address(), 4096)) {
            client.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            assertThat(head(in)).startsWith("HTTP/1.1 200");

            long slowly = readSlowly(in, 4096, 200, 4_000);
            long rest = drain(in);

            assertThat(slowly + rest).as("body bytes after reading slowly for 4 send_timeouts").isEqualTo(LARGE);
        }
    }

    @Test
    void aClientThatTakesNothingIsCutAfterSendTimeoutCountedAndLoggedOnce() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             Socket client = SocketPeers.client(rig.address(), 4096)) {
            client.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            assertThat(head(in)).startsWith("HTTP/1.1 200");

            Thread.sleep(3_000); // three send_timeouts without taking a byte
            // What the kernels held is still read; then the cut shows as EOF, well before the 5 s read timeout.
            assertThat(drain(in)).isLessThan(LARGE);

            rig.awaitCount(HttpCounters.Reason.SEND_TIMEOUT, 1);
            assertThat(rig.counters.get(HttpCounters.Reason.SEND_TIMEOUT)).isEqualTo(1);
            assertThat(rig.logLines).singleElement().asString()
                    .contains("client timed out (send_timeout) while sending response to client")
                    .contains("client: 127.0.0.1");
        }
    }

    @Test
    void anUpstreamReadingTheBodySlowlyButSteadilyForSeveralProxySendTimeoutsGetsAllOfIt() throws Exception {
        CompletableFuture<Long> backendGot = new CompletableFuture<>();
        try (SocketPeers.Backend backend = new SocketPeers.Backend(4096, s -> {
                InputStream in = s.getInputStream();
                head(in);
                long slowly = readSlowly(in, 4096, 200, 4_000);
                long got = slowly + readExactly(in, LARGE - slowly);
                backendGot.complete(got);
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        .getBytes(StandardCharsets.ISO_8859_1));
             });
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             Socket client = SocketPeers.client(rig.address(), 65536)) {
            CompletableFuture<Void> upload = uploadLarge(client);

            String head = head(client.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(backendGot.get(10, TimeUnit.SECONDS)).isEqualTo(LARGE);
            upload.get(10, TimeUnit.SECONDS);
            assertThat(rig.counters.get(HttpCounters.Reason.UPSTREAM_TIMEOUT)).isZero();
        }
    }

    @Test
    void anUpstreamThatTakesNoneOfTheBodyGets504AfterProxySendTimeoutCountedAndLoggedOnce() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(4096, s -> {
                head(s.getInputStream());
                Thread.sleep(10_000); // takes none of the body
             });
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             Socket client = SocketPeers.client(rig.address(), 65536)) {
            uploadLarge(client);

            String head = head(client.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 504");
            assertThat(rig.counters.get(HttpCounters.Reason.UPSTREAM_TIMEOUT)).isEqualTo(1);
            assertThat(rig.logLines).singleElement().asString()
                    .contains("upstream timed out (proxy_send_timeout) while sending request to upstream")
                    .contains("client: 127.0.0.1");
        }
    }

    /** Answers the first request with {@link #LARGE} zero bytes. */
    private static void answerLarge(Socket s) throws java.io.IOException {
        head(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + LARGE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        writeZeros(out, LARGE);
    }

    /** Posts {@link #LARGE} bytes on another thread, as the ingress lets it. */
    private static CompletableFuture<Void> uploadLarge(Socket client) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = client.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + LARGE + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                writeZeros(out, LARGE);
            } catch (java.io.IOException e) {
                // cut: the test reads the answer
            }
        });
    }

    private static long readExactly(InputStream in, long n) throws java.io.IOException {
        byte[] buf = new byte[1 << 16];
        long read = 0;
        while (read < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - read));
            if (r < 0) break;
            read += r;
        }
        return read;
    }
}
