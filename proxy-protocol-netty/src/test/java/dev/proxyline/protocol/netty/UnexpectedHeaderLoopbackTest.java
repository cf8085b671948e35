package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real NIO sockets on loopback, client bound to 127.0.0.7: a listener without proxy_protocol whose
 * next stage echoes what it gets. Every wait is bounded by the socket timeout.
 */
@ExtendWith(LeakCheck.class)
class UnexpectedHeaderLoopbackTest {
    private static final int WAIT_MILLIS = 10_000;
    private static final BadRequestPage PAGE =
            new BadRequestPage("proxyline", Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC));

    private static EventLoopGroup group;
    private Channel server;
    private final java.util.concurrent.CompletableFuture<Channel> accepted = new java.util.concurrent.CompletableFuture<>();
    private final UnexpectedHeaderCounters counters = new UnexpectedHeaderCounters();
    private final RecordingLogger logger = new RecordingLogger();

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    /** Stands for the HTTP (or TLS) stage: writes back every byte it receives, closes at the end of input. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
        }
    }

    private int start(UnexpectedHeaderStage stage) {
        // Half-closure on, so that the end of input reaches the stages as an event, as for a relay.
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.complete(ch);
                        stage.addFirst(ch.pipeline());
                        ch.pipeline().addLast(new Echo());
                    }
                })
                .bind(new InetSocketAddress(ip("127.0.0.1"), 0)).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private int startHttp() {
        return start(UnexpectedHeaderStage.forHttp(PAGE, counters,
                new OncePerSourceLog(logger, OncePerSourceLog.Limits.DEFAULT, System::nanoTime)));
    }

    private static Socket connectFrom127_0_0_7(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(WAIT_MILLIS);
        socket.bind(new InetSocketAddress(ip("127.0.0.7"), 0));
        socket.connect(new InetSocketAddress(ip("127.0.0.1"), port), WAIT_MILLIS);
        return socket;
    }

    /** Everything the server sends until it ends its side of the connection. */
    private static byte[] readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
            for (int b; (b = in.read()) != -1; ) {
                out.write(b);
            }
        } catch (SocketException reset) {
            out.write(-1);
        }
        return out.toByteArray();
    }

    private static byte[] readExactly(Socket socket, int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    @Test
    void aV1HeaderAndItsRequestGetThe400AndAnOrderlyEnd() throws Exception {
        int port = startHttp();
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("PROXY TCP4 203.0.113.7 10.0.0.30 51234 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
                    .getBytes(US_ASCII));
            assertThat(new String(readToEnd(socket), US_ASCII)).isEqualTo(new String(PAGE.render(), US_ASCII));
        }
        assertThat(counters.v1Count()).isEqualTo(1);
        assertThat(logger.lines).singleElement().asString().startsWith("WARNING listener 127.0.0.1:" + port
                + ", peer 127.0.0.7:").endsWith("add `proxy_protocol` to `listen` (or turn it off at the balancer)");
    }

    @Test
    void aPeerThatKeepsItsSideOpenAfterThe400IsClosedAfterALinger() throws Exception {
        int port = startHttp();
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("PROXY UNKNOWN\r\nGET / HTTP/1.1\r\n".getBytes(US_ASCII));
            assertThat(new String(readToEnd(socket), US_ASCII)).startsWith("HTTP/1.1 400 Bad Request\r\n");
            Channel child = accepted.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(child.isOpen()).as("still reading what the peer sends after the answer").isTrue();
            socket.getOutputStream().write("Host: a\r\n\r\n".getBytes(US_ASCII));
            assertThat(child.closeFuture().await(WAIT_MILLIS, TimeUnit.MILLISECONDS)).as("closed after the linger").isTrue();
        }
    }

    @Test
    void aV2HeaderSentInPiecesGetsThe400() throws Exception {
        int port = startHttp();
        byte[] v2 = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a2111000ccb0071070a00001ec8220050");
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(v2, 0, 5);
            Thread.sleep(50);
            socket.getOutputStream().write(v2, 5, v2.length - 5);
            assertThat(new String(readToEnd(socket), US_ASCII)).startsWith("HTTP/1.1 400 Bad Request\r\n");
        }
        assertThat(counters.v2Count()).isEqualTo(1);
    }

    @Test
    void aClientThatSendsPAndWaitsIsNotHeldOnceTheNextByteArrives() throws Exception {
        int port = startHttp();
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write('P');
            Thread.sleep(100);
            socket.getOutputStream().write("UT / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
            assertThat(new String(readExactly(socket, 18), US_ASCII)).isEqualTo("PUT / HTTP/1.1\r\n\r\n");
            socket.getOutputStream().write("more".getBytes(US_ASCII));
            assertThat(new String(readExactly(socket, 4), US_ASCII)).isEqualTo("more");
        }
        assertThat(counters.total()).isZero();
        assertThat(logger.lines).isEmpty();
    }

    @Test
    void aLonePFollowedByTheEndOfInputIsPassedOn() throws Exception {
        int port = startHttp();
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write('P');
            socket.shutdownOutput();
            assertThat(new String(readToEnd(socket), US_ASCII)).isEqualTo("P");
        }
    }

    @Test
    void aTlsListenerClosesAtTheHeaderWithoutAWord() throws Exception {
        int port = start(UnexpectedHeaderStage.forTls(counters,
                new OncePerSourceLog(logger, OncePerSourceLog.Limits.DEFAULT, System::nanoTime)));
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("PROXY TCP6 2001:db8::7 2001:db8::30 51234 443\r\n".getBytes(US_ASCII));
            byte[] answer = readToEnd(socket);
            assertThat(answer.length).as("nothing but the end, or a reset").isLessThanOrEqualTo(1);
        }
        assertThat(counters.v1Count()).isEqualTo(1);
        byte[] hello = HexFormat.of().parseHex("16030100050100000100");
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write(hello);
            assertThat(readExactly(socket, hello.length)).isEqualTo(hello);
        }
    }
}
