package dev.proxyline.server.stream;

import static dev.proxyline.server.testing.PeerThreads.async;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.testing.Peers;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.transport.UpstreamOptions;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code proxy_buffer_size} is the read size of a relayed connection even when an earlier stage read first. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayReadSizeTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proxyline.server.stream.StreamProxyTest#transports")
    void proxyBufferSizeHoldsAfterAStageThatReadFirst(Transport transport) throws Exception {
        // Neither Netty's default first guess (2 KiB) nor its adaptive maximum (64 KiB).
        int bufferSize = 4096;
        long size = 1L << 20;
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        BlockingQueue<Future<SessionOutcome>> outcomes = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1));
                ServerSocket upstreamServer = new ServerSocket(0, 50, LOOPBACK)) {
            StreamProxy proxy = new StreamProxy(RelayOptions.defaults().withBufferSize(bufferSize),
                    new FixedUpstreamConnector(
                            new UpstreamBootstrap(UpstreamOptions.defaults().withConnectTimeout(Duration.ofSeconds(5))),
                            new InetSocketAddress(LOOPBACK, upstreamServer.getLocalPort())),
                    UpstreamPreface.NONE, Clock.systemUTC());
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), ch -> {
                        proxy.prepare(ch);
                        ch.pipeline().addLast(new HandOverAfterFirstRead(proxy, outcomes));
                        accepted.add(ch);
                    })
                    .sync()
                    .channel();
            try (Socket client = new Socket()) {
                client.setSoTimeout(20_000);
                client.connect(listener.localAddress(), 5_000);
                upstreamServer.setSoTimeout(10_000);
                CompletableFuture<Long> upstreamSide = async(() -> {
                    try (Socket u = upstreamServer.accept()) {
                        u.setSoTimeout(20_000);
                        long got = Peers.receiveToEof(u, 1);
                        u.shutdownOutput();
                        return got;
                    }
                });
                Peers.send(client, 1, size);
                client.shutdownOutput();
                assertThat(upstreamSide.get(30, TimeUnit.SECONDS)).isEqualTo(size);
                assertThat(Peers.receiveToEof(client, 2)).isZero();

                Channel ch = accepted.poll(10, TimeUnit.SECONDS);
                // The handle the channel actually read with, not a new one from its configured allocator.
                int guess = ch.eventLoop().submit(() -> ch.unsafe().recvBufAllocHandle().guess()).get(5, TimeUnit.SECONDS);
                assertThat(guess).isEqualTo(bufferSize);
                Future<SessionOutcome> outcome = outcomes.poll(10, TimeUnit.SECONDS);
                assertThat(outcome.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(outcome.getNow().bytesReceived()).isEqualTo(size);
            } finally {
                listener.close().awaitUninterruptibly();
            }
        }
    }

    /** Stands in for the PROXY header stage: reads with autoRead on, then hands the channel to the relay. */
    private static final class HandOverAfterFirstRead extends ChannelInboundHandlerAdapter {
        private final StreamProxy proxy;
        private final BlockingQueue<Future<SessionOutcome>> outcomes;

        HandOverAfterFirstRead(StreamProxy proxy, BlockingQueue<Future<SessionOutcome>> outcomes) {
            this.proxy = proxy;
            this.outcomes = outcomes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // As the PROXY stage does: the relay is added before this stage leaves, so the bytes reach it.
            outcomes.add(proxy.handle(ctx.channel()));
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }
}
