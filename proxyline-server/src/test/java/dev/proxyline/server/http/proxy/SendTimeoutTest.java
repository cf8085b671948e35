package dev.proxyline.server.http.proxy;

import static dev.proxyline.server.http.proxy.SocketPeers.drain;
import static dev.proxyline.server.http.proxy.SocketPeers.head;
import static dev.proxyline.server.http.proxy.SocketPeers.readSlowly;
import static dev.proxyline.server.http.proxy.SocketPeers.writeZeros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
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
    private static final int H2_WINDOW = 8192;
    private static final String TIMEOUTS = "send_timeout 1s; proxy_send_timeout 1s;";

    @TempDir
    Path dir;

    @Test
    void aClientReadingSlowlyButSteadilyForSeveralSendTimeoutsGetsTheWholeResponse() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http1(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS))) {
            assertASlowButSteadyClientGetsEverything(rig);
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
                     Transport.nio(), 16384)) {
            assertASlowButSteadyClientGetsEverything(rig);
        }
    }

    /** A client with a 4 KiB receive buffer asks for the large answer and reads 4 KiB every 200 ms for 4 send_timeouts. */
    private static void assertASlowButSteadyClientGetsEverything(ExchangeRig rig) throws Exception {
        try (Socket client = SocketPeers.client(rig.address(), 4096)) {
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
            client.setSoTimeout(20_000); // the answer comes once the backend has read it all
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

    /**
     * Over HTTP/2 a slow reader shows as a stream window that the client opens a little at a time: the
     * stream's data moves by it, and the stream is waited for although it stays unwritable throughout.
     */
    @Test
    void anHttp2StreamReadSlowlyButSteadilyForSeveralSendTimeoutsGetsTheWholeResponse() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http2(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             H2Get get = new H2Get(rig, "/large")) {
            assertThat(get.status.get(5, TimeUnit.SECONDS)).isEqualTo("200");

            // Each read takes what the window let come and opens it again for as much.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < end && !get.body.isDone()) {
                get.stream.eventLoop().execute(get.stream::read);
                Thread.sleep(200);
            }
            get.readFreely();

            assertThat(get.body.get(20, TimeUnit.SECONDS)).as("body bytes after reading slowly for 4 send_timeouts")
                    .isEqualTo(LARGE);
            assertThat(rig.counters.get(HttpCounters.Reason.SEND_TIMEOUT)).isZero();
        }
    }

    /** nginx resets a stream whose window stays shut for send_timeout, while its connection goes on. */
    @Test
    void anHttp2StreamWhoseWindowStaysShutIsResetAfterSendTimeoutCountedAndLoggedOnce() throws Exception {
        try (SocketPeers.Backend backend = new SocketPeers.Backend(0, SendTimeoutTest::answerLarge);
             ExchangeRig rig = ExchangeRig.http2(dir, ExchangeRig.proxyingTo(backend.port(), TIMEOUTS));
             H2Get get = new H2Get(rig, "/large")) {
            assertThat(get.status.get(5, TimeUnit.SECONDS)).isEqualTo("200");

            Thread.sleep(3_000); // three send_timeouts without opening the window
            get.readFreely();

            assertThat(get.body.get(5, TimeUnit.SECONDS)).as("body bytes of the reset stream").isLessThan(LARGE);
            assertThat(get.connection.isActive()).as("the connection stays open").isTrue();
            rig.awaitCount(HttpCounters.Reason.SEND_TIMEOUT, 1);
            assertThat(rig.counters.get(HttpCounters.Reason.SEND_TIMEOUT)).isEqualTo(1);
            assertThat(rig.logLines).singleElement().asString()
                    .contains("client timed out (send_timeout) while sending response to client");
        }
    }

    /**
     * One GET on a prior-knowledge HTTP/2 connection whose stream windows are {@link #H2_WINDOW}, read only
     * when the test says: the window is opened again by what each read takes.
     */
    private static final class H2Get implements AutoCloseable {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final CompletableFuture<String> status = new CompletableFuture<>();
        /** The body's length once the stream ended, or was reset. */
        final CompletableFuture<Long> body = new CompletableFuture<>();
        final Channel connection;
        final Http2StreamChannel stream;

        H2Get(ExchangeRig rig, String path) throws InterruptedException {
            connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                            .initialSettings(Http2Settings.defaultSettings().initialWindowSize(H2_WINDOW))
                                            .build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    }).connect(rig.address()).sync().channel();
            stream = new Http2StreamChannelBootstrap(connection)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter() {
                        private long received;

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof Http2HeadersFrame headers) {
                                status.complete(headers.headers().status().toString());
                            } else if (msg instanceof Http2DataFrame data) {
                                received += data.content().readableBytes();
                                if (data.isEndStream()) body.complete(received);
                            }
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            body.complete(received);
                        }
                    }).open().sync().getNow();
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path(path)
                    .scheme("http").authority("a"), true));
            stream.eventLoop().execute(stream::read); // the response head
        }

        /** Reads the rest as fast as it comes. */
        void readFreely() {
            stream.eventLoop().execute(() -> {
                stream.config().setAutoRead(true);
                stream.read();
            });
        }

        @Override
        public void close() throws InterruptedException {
            connection.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
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
