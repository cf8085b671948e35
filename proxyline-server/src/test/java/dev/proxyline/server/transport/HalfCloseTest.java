package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HalfCloseTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proxyline.server.transport.BootstrapTest#transports")
    void peerSeesEndOfStreamAfterTheBytesAndTheChannelStillReads(Transport transport) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(BootstrapTest.LOOPBACK, 0)), ch -> {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                read.add(msg.toString(StandardCharsets.US_ASCII));
                            }
                        });
                        accepted.add(ch);
                    })
                    .sync().channel();
            try (Socket client = new Socket(BootstrapTest.LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                client.setSoTimeout(10_000);
                Channel ch = accepted.poll(10, TimeUnit.SECONDS);
                boolean shut = ch.eventLoop().submit(() -> {
                    ch.writeAndFlush(ch.alloc().buffer().writeBytes("last".getBytes(StandardCharsets.US_ASCII)));
                    return HalfClose.shutdownOutput((DuplexChannel) ch).isSuccess();
                }).get(5, TimeUnit.SECONDS);
                assertThat(shut).isTrue();

                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("last");
                assertThat(((DuplexChannel) ch).isOutputShutdown()).isTrue();
                assertThat(ch.isActive()).isTrue();
                OutputStream out = client.getOutputStream();
                out.write("still read".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                StringBuilder got = new StringBuilder();
                while (got.length() < "still read".length()) {
                    String part = read.poll(10, TimeUnit.SECONDS);
                    assertThat(part).as("bytes after the half-close").isNotNull();
                    got.append(part);
                }
                assertThat(got).hasToString("still read");
            } finally {
                listener.close().sync();
            }
        }
    }
}
