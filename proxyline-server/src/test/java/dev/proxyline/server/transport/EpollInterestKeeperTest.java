package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that answers after the client's FIN with more bytes than the socket buffers hold, to a
 * client that starts reading late: the server's writes must wait for EPOLLOUT on a socket whose
 * input is already shut down.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EpollInterestKeeperTest {

    private static final int ANSWER = 32 << 20;

    @BeforeEach
    void needsEpoll() {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
    }

    @Test
    void largeAnswerAfterTheClientsFinArrivesWhole() throws Exception {
        Exchange result = exchange(EpollInterestKeeper.factory());
        assertThat(result.failure()).isEmpty();
        assertThat(result.received()).isEqualTo(ANSWER);
    }

    /**
     * The defect the keeper works around, shown on Netty's own handler. When this starts failing,
     * Netty has fixed {@code DefaultEpollIoRegistration.submit} and {@link EpollInterestKeeper} can go.
     */
    @Test
    void nettysOwnHandlerFailsTheSameAnswerWithEnoent() throws Exception {
        Exchange result = exchange(EpollIoHandler.newFactory());
        assertThat(result.failure()).contains("epoll_ctl");
        assertThat(result.received()).isLessThan(ANSWER);
    }

    /** What the client received and why the server's answer failed (empty if it did not). */
    record Exchange(long received, String failure) {}

    private static Exchange exchange(IoHandlerFactory factory) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        CompletableFuture<String> writeFailure = new CompletableFuture<>();
        CompletableFuture<Void> inputShut = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new AnswerAfterFin(writeFailure, inputShut))
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
            try (Socket client = new Socket()) {
                client.setSoTimeout(20_000);
                client.connect(server.localAddress(), 5_000);
                client.shutdownOutput();
                inputShut.get(10, TimeUnit.SECONDS);
                // Let the answer fill both socket buffers before reading; the rest waits for EPOLLOUT.
                Thread.sleep(200);
                long received = 0;
                byte[] buf = new byte[64 * 1024];
                InputStream in = client.getInputStream();
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        received += n;
                    }
                } catch (java.net.SocketException reset) {
                    // The failing server closes with unsent bytes, which may reset the connection.
                }
                return new Exchange(received, writeFailure.get(10, TimeUnit.SECONDS));
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** The messages of a failure and its causes: Netty reports the socket error as a cause. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getMessage()).append("; ");
        }
        return text.toString();
    }

    /** Reads to the client's FIN, then writes {@link #ANSWER} zero bytes and shuts its output. */
    private static final class AnswerAfterFin extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> writeFailure;
        private final CompletableFuture<Void> inputShut;

        AnswerAfterFin(CompletableFuture<String> writeFailure, CompletableFuture<Void> inputShut) {
            this.writeFailure = writeFailure;
            this.inputShut = inputShut;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputShut.complete(null);
                // Delayed so that Netty finishes handling the FIN (and drops the socket from the
                // epoll set, without the keeper) before the first write.
                ctx.executor().schedule(() -> answer(ctx), 50, TimeUnit.MILLISECONDS);
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            int chunk = 64 * 1024;
            for (int sent = 0; sent < ANSWER; sent += chunk) {
                ctx.write(Unpooled.wrappedBuffer(new byte[chunk]));
            }
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    writeFailure.complete("");
                    ((DuplexChannel) ctx.channel()).shutdownOutput();
                } else {
                    writeFailure.complete(causes(f.cause()));
                    ctx.close();
                }
            });
        }
    }
}
