package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.io.FileNotFoundException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream connections to {@code unix:PATH} servers on each transport, as the relays and the http proxy open them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnixUpstreamBootstrapTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path directory;

    static List<Transport> transports() {
        return BootstrapTest.transports();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aUnixDomainUpstreamIsConnectedOnTheClientsLoopAndCarriesBytesBothWays(Transport transport)
            throws Exception {
        Path path = directory.resolve("app.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            withClientChannel(transport, clientChannel -> {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                ChannelFuture connect = new UpstreamBootstrap(UpstreamOptions.defaults().withKeepAlive(true))
                        .connect(clientChannel, UnixDomainSocketAddress.of(path), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                received.add(buf.toString(StandardCharsets.US_ASCII));
                                buf.release();
                            }
                        });
                assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(connect.isSuccess()).as("%s", connect.cause()).isTrue();
                Channel upstream = connect.channel();
                assertThat(upstream.eventLoop()).isSameAs(clientChannel.eventLoop());
                assertThat(upstream.config().isAutoRead()).isFalse();
                if (transport.isNative()) {
                    // Netty's NIO domain channels cannot half-close (their config is no SocketChannelConfig).
                    assertThat(upstream.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isTrue();
                }
                upstream.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)).sync();
                try (SocketChannel accepted = server.accept()) {
                    ByteBuffer read = ByteBuffer.allocate(5);
                    while (read.hasRemaining() && accepted.read(read) >= 0) {
                        // until the five bytes are in
                    }
                    assertThat(new String(read.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
                    accepted.write(ByteBuffer.wrap("back".getBytes(StandardCharsets.US_ASCII)));
                    upstream.read();
                    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("back");
                }
                upstream.close().sync();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aMissingSocketFileFailsTheConnectWithNoSuchFile(Transport transport) throws Exception {
        withClientChannel(transport, clientChannel -> {
            ChannelFuture connect = new UpstreamBootstrap(UpstreamOptions.defaults())
                    .connect(clientChannel, UnixDomainSocketAddress.of(directory.resolve("missing.sock")));
            assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(connect.isSuccess()).isFalse();
            assertThat(RootCause.message(connect.cause())).contains("No such file or directory");
        });
    }

    @Test
    void aBareFileNotFoundIsNamedAsTheErrnoItStandsFor() {
        assertThat(RootCause.message(new java.io.IOException("wrapped", new FileNotFoundException())))
                .isEqualTo("No such file or directory");
        assertThat(RootCause.message(new FileNotFoundException("/etc/x (Permission denied)")))
                .isEqualTo("/etc/x (Permission denied)");
    }

    @FunctionalInterface
    private interface WithChannel {
        void run(Channel clientChannel) throws Exception;
    }

    /** Runs {@code body} with an accepted client channel of {@code transport}, whose loop upstreams are opened on. */
    private static void withClientChannel(Transport transport, WithChannel body) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), (AcceptedChannelSetup) accepted::add)
                    .sync().channel();
            try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                body.run(accepted.poll(10, TimeUnit.SECONDS));
            } finally {
                listener.close().sync();
            }
        }
    }
}
