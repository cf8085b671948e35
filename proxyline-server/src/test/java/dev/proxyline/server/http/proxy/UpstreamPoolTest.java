package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest {
    private static final UpstreamPool.Key A = new UpstreamPool.Key(new InetSocketAddress("127.0.0.1", 1), Optional.empty());
    private static final UpstreamPool.Key B = new UpstreamPool.Key(new InetSocketAddress("127.0.0.1", 2), Optional.empty());

    @Test
    void aConnectionIsTakenOnlyForItsOwnKeyAndOnlyOnce() {
        UpstreamPool pool = new UpstreamPool(2);
        EmbeddedChannel ch = new EmbeddedChannel();
        pool.offer(ch, A);

        assertThat(pool.take(ch.eventLoop(), B)).isEmpty();
        assertThat(pool.take(ch.eventLoop(), A)).containsSame(ch);
        assertThat(pool.take(ch.eventLoop(), A)).isEmpty();
    }

    @Test
    void theOldestIdleConnectionOfALoopIsClosedWhenThePoolIsFull() throws Exception {
        io.netty.channel.EventLoopGroup loop = new io.netty.channel.DefaultEventLoopGroup(1);
        try {
            Channel first = new io.netty.channel.local.LocalChannel();
            Channel second = new io.netty.channel.local.LocalChannel();
            loop.register(first).sync();
            loop.register(second).sync();
            UpstreamPool pool = new UpstreamPool(1);
            pool.offer(first, A);
            pool.offer(second, B);

            first.closeFuture().await(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first.isOpen()).isFalse();
            assertThat(second.isOpen()).isTrue();
            assertThat(pool.idle(first.eventLoop())).isEqualTo(1);
            second.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void theMostRecentlyOfferedConnectionOfAKeyIsTakenFirstAndAClosedOneIsPassedOver() throws Exception {
        io.netty.channel.EventLoopGroup loop = new io.netty.channel.DefaultEventLoopGroup(1);
        try {
            // Connected local channels: active, and all on the one loop the pool keys them by.
            io.netty.channel.local.LocalAddress address = new io.netty.channel.local.LocalAddress("pool-test");
            Channel server = new io.netty.bootstrap.ServerBootstrap().group(loop)
                    .channel(io.netty.channel.local.LocalServerChannel.class)
                    .childHandler(nothing()).bind(address).sync().channel();
            io.netty.bootstrap.Bootstrap clients = new io.netty.bootstrap.Bootstrap().group(loop)
                    .channel(io.netty.channel.local.LocalChannel.class)
                    .handler(nothing());
            Channel older = clients.connect(address).sync().channel();
            Channel other = clients.connect(address).sync().channel();
            Channel newer = clients.connect(address).sync().channel();
            Channel closed = clients.connect(address).sync().channel();
            closed.close().sync();
            UpstreamPool pool = new UpstreamPool(4);
            loop.submit(() -> {
                pool.offer(older, A);
                pool.offer(newer, A);
                pool.offer(other, B);
                assertThat(pool.take(older.eventLoop(), A)).containsSame(newer);
                assertThat(pool.take(older.eventLoop(), A)).containsSame(older);
                pool.offer(older, A);
                pool.offer(closed, A);
                assertThat(pool.take(older.eventLoop(), A)).containsSame(older);
                assertThat(pool.idle(older.eventLoop())).isEqualTo(1); // the closed one is gone, B's stays
            }).sync();
            for (Channel ch : new Channel[] {older, other, newer, server}) ch.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aClosedOrForgottenConnectionIsNotHandedOut() {
        UpstreamPool pool = new UpstreamPool(4);
        EmbeddedChannel closed = new EmbeddedChannel();
        pool.offer(closed, A);
        closed.close();
        assertThat(pool.take(closed.eventLoop(), A)).isEmpty();

        EmbeddedChannel removed = new EmbeddedChannel();
        pool.offer(removed, A);
        pool.remove(removed);
        assertThat(pool.take(removed.eventLoop(), A)).isEmpty();
    }

    @Test
    void aPoolOfZeroClosesWhatItIsOffered() {
        UpstreamPool pool = new UpstreamPool(0);
        Channel ch = new EmbeddedChannel();
        pool.offer(ch, A);
        assertThat(ch.isOpen()).isFalse();
        assertThat(pool.enabled()).isFalse();
    }

    private static io.netty.channel.ChannelInitializer<Channel> nothing() {
        return new io.netty.channel.ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
            }
        };
    }
}
