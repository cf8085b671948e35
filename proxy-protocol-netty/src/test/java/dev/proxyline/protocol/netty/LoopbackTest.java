package dev.proxyline.protocol.netty;

import static dev.proxyline.protocol.netty.testing.PeerChannel.ip;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.netty.testing.LeakCheck;
import dev.proxyline.protocol.netty.testing.RecordingLogger;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real NIO sockets on loopback: the server listens on 127.0.0.1, the client connects from 127.0.0.7
 * so that the two differ. Every wait is bounded; nothing asserts how fast anything is.
 */
@ExtendWith(LeakCheck.class)
class LoopbackTest {
    private static final int WAIT_SECONDS = 10;
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.7"), 51234);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(ip("10.0.0.30"), 443);
    private static final InetSocketAddress CLIENT6 = new InetSocketAddress(ip("2001:db8::7"), 51234);
    private static final InetSocketAddress SERVICE6 = new InetSocketAddress(ip("2001:db8::30"), 443);

    private static EventLoopGroup group;
    private Channel server;
    private ProxyCounters counters;
    private Capture capture;

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

    /** Stands for the next stage on the server: keeps the connection record and the bytes. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        final CompletableFuture<ProxiedConnection> connection = new CompletableFuture<>();
        final CompletableFuture<byte[]> bytesUntilClose = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ProxiedConnection c) {
                connection.complete(c);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            synchronized (bytes) {
                byte[] copy = new byte[buf.readableBytes()];
                buf.readBytes(copy);
                bytes.writeBytes(copy);
            }
            buf.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (bytes) {
                bytesUntilClose.complete(bytes.toByteArray());
            }
        }
    }

    private int startServer(TrustPolicy trust, Duration deadline) {
        return startServer(trust, deadline, false);
    }

    private int startServer(TrustPolicy trust, Duration deadline, boolean allowHalfClosure) {
        counters = new ProxyCounters();
        capture = new Capture();
        ProxyReceiveStage stage = new ProxyReceiveStage(ReceiveSettings.of(trust).withDeadline(deadline), counters,
                new RejectionLog(new RecordingLogger(), Duration.ofHours(1), System::nanoTime));
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, allowHalfClosure)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        stage.addFirst(ch.pipeline());
                        ch.pipeline().addLast(capture);
                    }
                })
                .bind(new InetSocketAddress(ip("127.0.0.1"), 0)).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static Socket connectFrom127_0_0_7(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(WAIT_SECONDS * 1000);
        socket.bind(new InetSocketAddress(ip("127.0.0.7"), 0));
        socket.connect(new InetSocketAddress(ip("127.0.0.1"), port), WAIT_SECONDS * 1000);
        return socket;
    }

    /** True when the server ends the connection: EOF or reset, within the socket timeout. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
        for (int i = 0; i < WAIT_SECONDS * 100 && count.getAsLong() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(count.getAsLong()).isEqualTo(expected);
    }

    /** Sends {@code header} and {@code data} from 127.0.0.7, half-closes, and returns what the server made of it. */
    private ProxiedConnection send(int port, byte[] header, String data) throws Exception {
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write(header);
            socket.getOutputStream().write(data.getBytes(US_ASCII));
            socket.shutdownOutput();
            ProxiedConnection connection = capture.connection.get(WAIT_SECONDS, TimeUnit.SECONDS);
            socket.close();
            assertThat(new String(capture.bytesUntilClose.get(WAIT_SECONDS, TimeUnit.SECONDS), US_ASCII)).isEqualTo(data);
            return connection;
        }
    }

    @Test
    void aV1HeaderFromTheTrustedBalancerGivesTheClientAddress() throws Exception {
        int port = startServer(TrustPolicy.builder().trust("127.0.0.7/32").build(), Duration.ofSeconds(5));
        ProxiedConnection connection = send(port, ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, CLIENT, SERVICE)), "hello");

        assertThat(connection.client()).isEqualTo(CLIENT);
        assertThat(connection.destination()).isEqualTo(SERVICE);
        assertThat(((InetSocketAddress) connection.peer()).getAddress()).isEqualTo(ip("127.0.0.7"));
        assertThat(counters.acceptedCount(ProtocolVersion.V1)).isEqualTo(1);
    }

    @Test
    void aV2HeaderFromTheTrustedBalancerGivesTheIpv6ClientAddress() throws Exception {
        int port = startServer(TrustPolicy.builder().trust("127.0.0.0/8").build(), Duration.ofSeconds(5));
        ProxiedConnection connection = send(port, ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2, CLIENT6, SERVICE6)), "hello");

        assertThat(connection.client()).isEqualTo(CLIENT6);
        assertThat(counters.acceptedCount(ProtocolVersion.V2)).isEqualTo(1);
    }

    @Test
    void anUntrustedSourceCannotSetTheClientAddress() throws Exception {
        int port = startServer(TrustPolicy.builder().trust("127.0.0.1/32").otherwise(HeaderPolicy.IGNORE).build(),
                Duration.ofSeconds(5));
        ProxiedConnection connection = send(port, ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V2, CLIENT, SERVICE)), "hello");

        assertThat(connection.header()).isPresent();
        assertThat(((InetSocketAddress) connection.client()).getAddress()).isEqualTo(ip("127.0.0.7"));
    }

    @Test
    void anOptionalSourceWithoutAHeaderIsPassedOnUnchanged() throws Exception {
        int port = startServer(TrustPolicy.builder().rule("127.0.0.7", HeaderPolicy.OPTIONAL).build(),
                Duration.ofSeconds(5));
        ProxiedConnection connection = send(port, new byte[0], "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(connection.header()).isEmpty();
        assertThat(((InetSocketAddress) connection.client()).getAddress()).isEqualTo(ip("127.0.0.7"));
    }

    @Test
    void aRejectedSourceIsClosedWithoutBeingRead() throws Exception {
        int port = startServer(TrustPolicy.builder().trust("10.0.0.0/8").build(), Duration.ofSeconds(5));
        try (Socket socket = connectFrom127_0_0_7(port)) {
            assertThat(closedByServer(socket)).isTrue();
        }
        awaitCount(() -> counters.refusedCount(Reason.UNTRUSTED), 1);
        assertThat(capture.connection).isNotDone();
    }

    @Test
    void aRequiredHeaderThatIsMissingClosesTheConnection() throws Exception {
        int port = startServer(TrustPolicy.requireFromAll(), Duration.ofSeconds(5));
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
            assertThat(closedByServer(socket)).isTrue();
        }
        awaitCount(() -> counters.refusedCount(Reason.NOT_PROXY_HTTP), 1);
    }

    @Test
    void aHeaderNotCompleteByTheDeadlineIsCut() throws Exception {
        int port = startServer(TrustPolicy.requireFromAll(), Duration.ofMillis(200));
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("PROXY TCP4 203.0".getBytes(US_ASCII));
            assertThat(closedByServer(socket)).isTrue();
        }
        awaitCount(() -> counters.refusedCount(Reason.TIMEOUT), 1);
        assertThat(capture.connection).isNotDone();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "allowHalfClosure={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aPeerThatStopsSendingInsideTheHeaderIsTruncated(boolean allowHalfClosure) throws Exception {
        int port = startServer(TrustPolicy.requireFromAll(), Duration.ofSeconds(30), allowHalfClosure);
        try (Socket socket = connectFrom127_0_0_7(port)) {
            socket.getOutputStream().write("PROXY TCP4 203.0".getBytes(US_ASCII));
            socket.shutdownOutput();
            assertThat(closedByServer(socket)).isTrue();
        }
        awaitCount(() -> counters.refusedCount(Reason.TRUNCATED), 1);
    }

    @Test
    void theSendHandlerPutsTheHeaderOnTheWireBeforeTheData() throws Exception {
        try (ServerSocket upstream = new ServerSocket()) {
            upstream.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
            upstream.setSoTimeout(WAIT_SECONDS * 1000);
            ProxyHeader header = new SendSettings(ProtocolVersion.V2, java.util.List.of(), true).headerFor(CLIENT, SERVICE);
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ProxyHeaderSender(header))
                    .connect(upstream.getLocalSocketAddress(), new InetSocketAddress(ip("127.0.0.7"), 0))
                    .channel();
            // Written at once, very likely before the connection is established: it must wait.
            client.writeAndFlush(Unpooled.copiedBuffer("relayed bytes", US_ASCII)).addListener(ChannelFutureListener.CLOSE);

            byte[] wire;
            try (Socket accepted = upstream.accept()) {
                accepted.setSoTimeout(WAIT_SECONDS * 1000);
                wire = readToEnd(accepted.getInputStream());
            }
            client.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS);

            DecodeResult result = new ProxyHeaderDecoder().decode(wire);
            assertThat(result).isInstanceOf(DecodeResult.Complete.class);
            DecodeResult.Complete complete = (DecodeResult.Complete) result;
            assertThat(complete.header().sourceAddress()).contains(CLIENT);
            assertThat(new String(wire, complete.length(), wire.length - complete.length(), US_ASCII)).isEqualTo("relayed bytes");
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
