package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.net.InetSocketAddress;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class TransportTest {
    private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 0);
    private static final InetSocketAddress V6 = new InetSocketAddress("::1", 0);
    // <sys/socket.h> on Linux.
    private static final int SOL_SOCKET = 1;
    private static final int SO_DOMAIN = 39;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    @Test
    void bestIsEpollExactlyWhenNettySaysEpollIsAvailable() {
        Transport best = Transport.best();
        assertThat(Transport.epollAvailable()).isEqualTo(Epoll.isAvailable());
        assertThat(best.kind()).isEqualTo(Epoll.isAvailable() ? Transport.Kind.EPOLL : Transport.Kind.NIO);
        assertThat(best.isNative()).isEqualTo(Epoll.isAvailable());
    }

    @Test
    void nioMakesNioChannels() {
        Transport nio = Transport.nio();
        assertThat(nio.newServerChannel(V4)).isInstanceOf(NioServerSocketChannel.class);
        assertThat(nio.socketChannelClass()).isEqualTo(NioSocketChannel.class);
        assertThat(nio).hasToString("nio");
    }

    @Test
    void epollMakesEpollChannelsOfTheAddressFamily() {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        Transport epoll = Transport.epoll();
        assertThat(epoll.socketChannelClass()).isEqualTo(EpollSocketChannel.class);
        // Netty's own default would be a dual-stack IPv6 socket for both.
        assertThat(familyOf(epoll.newServerChannel(V4))).isEqualTo(SocketProtocolFamily.INET);
        assertThat(familyOf(epoll.newServerChannel(V6))).isEqualTo(SocketProtocolFamily.INET6);
        assertThat(familyOf(epoll.newSocketChannel(V4))).isEqualTo(SocketProtocolFamily.INET);
        assertThat(familyOf(epoll.newSocketChannel(V6))).isEqualTo(SocketProtocolFamily.INET6);
    }

    /** The family of a new epoll channel's socket, read back from the kernel (SO_DOMAIN), and the socket closed. */
    private static SocketProtocolFamily familyOf(io.netty.channel.Channel channel) {
        try {
            int domain = ((Socket) ((UnixChannel) channel).fd()).getIntOpt(SOL_SOCKET, SO_DOMAIN);
            return domain == AF_INET ? SocketProtocolFamily.INET
                    : domain == AF_INET6 ? SocketProtocolFamily.INET6 : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    @Test
    void transportOfAChannelFollowsItsClass() {
        assertThat(Transport.of(new NioSocketChannel()).kind()).isEqualTo(Transport.Kind.NIO);
        if (Epoll.isAvailable()) {
            EpollSocketChannel ch = new EpollSocketChannel();
            try {
                assertThat(Transport.of(ch).kind()).isEqualTo(Transport.Kind.EPOLL);
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
    }

    @Test
    void eventLoopGroupHasTheRequestedThreadCount() {
        EventLoopGroup group = Transport.nio().newEventLoopGroup(3, "test");
        try {
            assertThat(StreamSupport.stream(group.spliterator(), false).count()).isEqualTo(3);
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        }
        assertThatThrownBy(() -> Transport.nio().newEventLoopGroup(0, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected at least 1");
    }

    @Test
    void workerThreadsAutoIsOnePerCoreAndAtLeastOne() {
        assertThat(WorkerThreads.auto(6).count()).isEqualTo(6);
        assertThat(WorkerThreads.auto(0).count()).isEqualTo(1);
        assertThat(WorkerThreads.auto().count()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(WorkerThreads.of(2).count()).isEqualTo(2);
        assertThatThrownBy(() -> WorkerThreads.of(0)).hasMessageContaining("worker threads: 0");
    }

    @Test
    void eventLoopsSizeTheWorkerGroupFromWorkerThreads() {
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(2))) {
            assertThat(StreamSupport.stream(loops.workers().spliterator(), false).count()).isEqualTo(2);
            // No accept thread of its own: listeners accept on the workers, as nginx's do.
            assertThat(loops.acceptors()).isSameAs(loops.workers());
            assertThat(loops.transport().kind()).isEqualTo(Transport.Kind.NIO);
        }
    }

    @Test
    void listenerOptionsRejectNonsense() {
        var address = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        assertThatThrownBy(() -> new ListenerOptions(address, 0, false, false, true, 16, java.util.OptionalInt.empty()))
                .hasMessageContaining("backlog: 0");
        assertThat(ListenerOptions.of(address).backlog()).isEqualTo(511);
    }

    @Test
    void upstreamOptionsRejectNonPositiveConnectTimeout() {
        assertThatThrownBy(() -> UpstreamOptions.defaults().withConnectTimeout(java.time.Duration.ZERO))
                .hasMessageContaining("proxy_connect_timeout");
        assertThat(UpstreamOptions.defaults().connectTimeout()).hasSeconds(60);
    }
}
