package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BootstrapTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetAddress CLIENT = ip127(7);

    static List<Transport> transports() {
        List<Transport> all = new ArrayList<>();
        all.add(Transport.nio());
        if (Transport.epollAvailable()) {
            all.add(Transport.epoll());
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void acceptedChannelsAllowHalfClosureAndCarryTheListenerOptions(Transport transport) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(2))) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)).withKeepAlive(true), initializer(accepted))
                    .sync().channel();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(CLIENT, 0));
                s.connect(listener.localAddress());
                Channel ch = accepted.poll(10, TimeUnit.SECONDS);
                assertThat(ch).isNotNull();
                assertThat(ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isTrue();
                assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
                assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
                assertThat(((InetSocketAddress) ch.remoteAddress()).getAddress()).isEqualTo(CLIENT);
                assertThat(Transport.of(ch).kind()).isEqualTo(transport.kind());
            } finally {
                listener.close().sync();
            }
        }
    }

    static List<Arguments> transportsAndBatches() {
        List<Arguments> all = new ArrayList<>();
        for (Transport transport : transports()) {
            all.add(Arguments.of(transport, 1, "A M A M A M A M"));
            all.add(Arguments.of(transport, Integer.MAX_VALUE, "A A A A M M M M"));
        }
        return all;
    }

    /** multi_accept on Netty's listening channels (see {@link AcceptBatches}). */
    @ParameterizedTest(name = "{0}, {1} per wake-up")
    @MethodSource("transportsAndBatches")
    void oneWakeUpAcceptsAsManyAsTheListenSays(Transport transport, int acceptsPerWakeup, String order)
            throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            ListenerOptions options = new ListenerOptions(new InetSocketAddress(LOOPBACK, 0), 511, false, false, true,
                    acceptsPerWakeup, java.util.OptionalInt.empty());
            Channel listener = new ListenerBootstrap(loops).bind(options, accepted -> {
                seen.add("A");
                accepted.eventLoop().execute(() -> seen.add("M"));
            }).sync().channel();
            try {
                assertThat(AcceptBatches.order(listener.eventLoop(), (InetSocketAddress) listener.localAddress(), seen))
                        .isEqualTo(order);
            } finally {
                listener.close().sync();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void reusePortLetsTwoListenersShareAPort(Transport transport) throws Exception {
        assumeTrue(transport.supportsReusePort(), "this JDK has no SO_REUSEPORT");
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            ListenerBootstrap listeners = new ListenerBootstrap(loops);
            ListenerOptions first = ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)).withReusePort(true);
            Channel a = listeners.bind(first, ch -> { }).sync().channel();
            try {
                assertThat(a.config().getOption(transport.isNative()
                        ? UnixChannelOption.SO_REUSEPORT
                        : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT))).isTrue();
                InetSocketAddress bound = (InetSocketAddress) a.localAddress();
                ListenerOptions second = ListenerOptions.of(bound).withReusePort(true);
                Channel b = listeners.bind(second, ch -> { }).sync().channel();
                assertThat(((InetSocketAddress) b.localAddress()).getPort()).isEqualTo(bound.getPort());
                b.close().sync();
            } finally {
                a.close().sync();
            }
        }
    }

    @Test
    void reusePortOnEpollGivesEveryWorkerItsOwnSocketAndClosingTheFirstClosesAll() throws Exception {
        assumeTrue(Transport.epollAvailable(), "epoll is not available here");
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(2))) {
            BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
            ListenerOptions options = ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)).withReusePort(true);
            Channel listener = new ListenerBootstrap(loops).bind(options, initializer(accepted)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
            Set<EventLoop> servedBy = new HashSet<>();
            // The kernel picks the socket by a hash of the client's address and port; 24 clients all
            // landing on one of two sockets would happen once in 2^23 runs.
            for (int i = 0; i < 24; i++) {
                try (Socket client = new Socket(LOOPBACK, bound.getPort())) {
                    Channel ch = accepted.poll(5, TimeUnit.SECONDS);
                    assertThat(ch).as("connection %d was accepted", i).isNotNull();
                    servedBy.add(ch.eventLoop());
                    ch.close().sync();
                }
            }
            assertThat(servedBy).hasSize(2);

            listener.close().sync();
            // Closing the first socket closed the port's other sockets before it completed, so a
            // plain bind (no SO_REUSEPORT) gets the port at once.
            new ServerSocket(bound.getPort(), 1, LOOPBACK).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void upstreamConnectsOnTheAcceptedChannelsLoopFromTheBindAddress(Transport transport) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        UpstreamBootstrap upstreams = new UpstreamBootstrap(
                UpstreamOptions.defaults().withConnectTimeout(Duration.ofMillis(1234)).withBindAddress(CLIENT));
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(4));
                ServerSocket upstream = new ServerSocket(0, 5, LOOPBACK)) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), initializer(accepted))
                    .sync().channel();
            try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                Channel clientChannel = accepted.poll(10, TimeUnit.SECONDS);
                assertThat(clientChannel).isNotNull();
                ChannelFuture connect = upstreams.connect(clientChannel,
                        (InetSocketAddress) upstream.getLocalSocketAddress(), new ChannelInboundHandlerAdapter());
                assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(connect.isSuccess()).isTrue();
                Channel up = connect.channel();
                upstream.setSoTimeout(10_000);
                try (Socket seen = upstream.accept()) {
                    assertThat(seen.getInetAddress()).as("proxy_bind source address").isEqualTo(CLIENT);
                }
                assertThat(up.eventLoop()).isSameAs(clientChannel.eventLoop());
                assertThat(up.config().getConnectTimeoutMillis()).isEqualTo(1234);
                assertThat(up.config().isAutoRead()).isFalse();
                assertThat(up.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isTrue();
                assertThat(up.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
                assertThat(up.config().getOption(ChannelOption.SO_KEEPALIVE)).isFalse();
                assertThat(Transport.of(up).kind()).isEqualTo(transport.kind());
                up.close().sync();
            } finally {
                listener.close().sync();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void refusedUpstreamFailsTheConnectFuture(Transport transport) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        try (EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), initializer(accepted))
                    .sync().channel();
            try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                Channel clientChannel = accepted.poll(10, TimeUnit.SECONDS);
                ChannelFuture connect = new UpstreamBootstrap(UpstreamOptions.defaults())
                        .connect(clientChannel, closed, new ChannelInboundHandlerAdapter());
                assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(connect.isSuccess()).isFalse();
                assertThat(connect.cause()).hasMessageContaining("refused");
            } finally {
                listener.close().sync();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void connectTimeoutFailsTheConnectWhenTheUpstreamNeverAnswers(Transport transport) throws Exception {
        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        List<Socket> fillers = new ArrayList<>();
        // A listener that never accepts: once its accept queue is full the kernel drops further SYNs,
        // which is what an unreachable upstream looks like, without leaving loopback.
        try (ServerSocket silent = new ServerSocket(0, 1, LOOPBACK);
                EventLoops loops = EventLoops.start(transport, WorkerThreads.of(1))) {
            for (int i = 0; i < 4; i++) {
                Socket f = new Socket();
                fillers.add(f);
                try {
                    f.connect(silent.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException full) {
                    break; // the queue is full now
                }
            }
            Channel listener = new ListenerBootstrap(loops)
                    .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), initializer(accepted))
                    .sync().channel();
            try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                Channel clientChannel = accepted.poll(10, TimeUnit.SECONDS);
                ChannelFuture connect = new UpstreamBootstrap(
                                UpstreamOptions.defaults().withConnectTimeout(Duration.ofMillis(300)))
                        .connect(clientChannel, (InetSocketAddress) silent.getLocalSocketAddress(),
                                new ChannelInboundHandlerAdapter());
                assertThat(connect.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(connect.isSuccess()).isFalse();
                assertThat(connect.cause()).isInstanceOf(io.netty.channel.ConnectTimeoutException.class);
            } finally {
                listener.close().sync();
            }
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
        }
    }

    @Test
    void theSetUpRunsOnceOnTheRegisteredChannelWhichItLeavesWithOnlyWhatTheSetUpAdded() throws Exception {
        BlockingQueue<List<String>> pipelines = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops).bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                    ch -> {
                        assertThat(ch.isRegistered()).isTrue();
                        ch.pipeline().addLast("first-stage", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                                pipelines.add(ctx.pipeline().names());
                                ctx.fireChannelActive();
                            }
                        });
                    }).sync().channel();
            try (Socket s = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                List<String> names = pipelines.poll(10, TimeUnit.SECONDS);
                assertThat(names).isNotNull();
                assertThat(names.get(0)).isEqualTo("first-stage");
                assertThat(names).hasSize(2); // and Netty's tail
                assertThat(pipelines.poll(200, TimeUnit.MILLISECONDS)).as("one set-up per connection").isNull();
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void aSetUpThatFailsClosesTheConnectionAndGivesItsSlotBack() throws Exception {
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(1))) {
            Channel listener = new ListenerBootstrap(loops).bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                    ch -> {
                        throw new IllegalStateException("test: this set-up fails");
                    }).sync().channel();
            try (Socket s = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (loops.connections().open() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(loops.connections().open()).isZero();
            } finally {
                listener.close().sync();
            }
        }
    }

    private static AcceptedChannelSetup initializer(BlockingQueue<Channel> accepted) {
        return accepted::add;
    }

    private static InetAddress ip127(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
