package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.UpstreamKeepalive;
import dev.proxyline.server.tls.UpstreamTlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest {
    private static final InetSocketAddress PEER_A = new InetSocketAddress("127.0.0.1", 1);
    private static final InetSocketAddress PEER_B = new InetSocketAddress("127.0.0.1", 2);
    private static final UpstreamPool.Key A = new UpstreamPool.Key(PEER_A, Optional.empty(), Optional.empty());
    private static final UpstreamPool.Key B = new UpstreamPool.Key(PEER_B, Optional.empty(), Optional.empty());

    /** A pool of {@code connections} with nginx's other defaults. */
    private static UpstreamPool pool(int connections) {
        return new UpstreamPool(new UpstreamKeepalive(connections, 1000, Duration.ofHours(1), Duration.ofSeconds(60)),
                System::nanoTime);
    }

    /** The handler of a connection opened with {@code key}, put in {@code channel}'s pipeline and idle. */
    private static UpstreamHandler connection(UpstreamPool pool, UpstreamPool.Key key, Channel channel) {
        UpstreamHandler handler = new UpstreamHandler(pool, key, new NoExchange());
        channel.pipeline().addLast(handler);
        handler.detach(); // as an exchange does before it offers the connection
        return handler;
    }

    @Test
    void aConnectionIsTakenOnlyForItsOwnPeerAndHeaderAndOnlyOnce() {
        UpstreamPool pool = pool(2);
        EmbeddedChannel ch = new EmbeddedChannel();
        UpstreamHandler handler = connection(pool, A, ch);
        pool.offer(handler);

        assertThat(pool.take(ch.eventLoop(), PEER_B, Optional.empty(), Optional.empty())).isEmpty();
        // An equal address, not the same object: still the same peer.
        assertThat(pool.take(ch.eventLoop(), new InetSocketAddress("127.0.0.1", 1), Optional.empty(), Optional.empty())).containsSame(handler);
        assertThat(handler.channel()).isSameAs(ch);
        assertThat(pool.take(ch.eventLoop(), PEER_A, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void aTlsConnectionServesOnlyItsOwnTlsSettingAndAPlainOneOnlyPlainRequests() throws Exception {
        UpstreamTls tls = new UpstreamTls(new UpstreamTlsSettings(SslContextBuilder.forClient().build(),
                Optional.empty()), "backend.test", false, true);
        UpstreamTls otherName = new UpstreamTls(new UpstreamTlsSettings(SslContextBuilder.forClient().build(),
                Optional.empty()), "other.test", false, true);
        UpstreamPool pool = pool(4);
        EmbeddedChannel tlsChannel = new EmbeddedChannel();
        EmbeddedChannel plainChannel = new EmbeddedChannel();
        UpstreamHandler overTls = connection(pool, new UpstreamPool.Key(PEER_A, Optional.empty(), Optional.of(tls)),
                tlsChannel);
        UpstreamHandler plain = connection(pool, A, plainChannel);
        pool.offer(overTls);
        pool.offer(plain);

        assertThat(pool.take(tlsChannel.eventLoop(), PEER_A, Optional.empty(), Optional.of(otherName))).isEmpty();
        assertThat(pool.take(tlsChannel.eventLoop(), PEER_A, Optional.empty(), Optional.of(tls))).containsSame(overTls);
        assertThat(pool.take(tlsChannel.eventLoop(), PEER_A, Optional.empty(), Optional.of(tls))).isEmpty();
        assertThat(pool.take(plainChannel.eventLoop(), PEER_A, Optional.empty(), Optional.of(tls))).isEmpty();
        assertThat(pool.take(plainChannel.eventLoop(), PEER_A, Optional.empty(), Optional.empty())).containsSame(plain);
    }

    @Test
    void theOldestIdleConnectionOfALoopIsClosedWhenThePoolIsFull() throws Exception {
        io.netty.channel.EventLoopGroup loop = new io.netty.channel.DefaultEventLoopGroup(1);
        try {
            Channel first = new io.netty.channel.local.LocalChannel();
            Channel second = new io.netty.channel.local.LocalChannel();
            UpstreamPool pool = pool(1);
            UpstreamHandler firstHandler = connection(pool, A, first);
            UpstreamHandler secondHandler = connection(pool, B, second);
            loop.register(first).sync();
            loop.register(second).sync();
            pool.offer(firstHandler);
            pool.offer(secondHandler);

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
            UpstreamPool pool = pool(4);
            loop.submit(() -> {
                UpstreamHandler olderHandler = connection(pool, A, older);
                UpstreamHandler newerHandler = connection(pool, A, newer);
                UpstreamHandler otherHandler = connection(pool, B, other);
                // Closed behind the pool's back: its handler is not told, so the pool still holds it.
                UpstreamHandler closedHandler = connection(pool, A, closed);
                closed.pipeline().remove(closedHandler);
                closed.close();
                pool.offer(olderHandler);
                pool.offer(newerHandler);
                pool.offer(otherHandler);
                assertThat(pool.take(loop.next(), PEER_A, Optional.empty(), Optional.empty())).containsSame(newerHandler);
                assertThat(pool.take(loop.next(), PEER_A, Optional.empty(), Optional.empty())).containsSame(olderHandler);
                pool.offer(olderHandler);
                pool.offer(closedHandler);
                assertThat(pool.take(loop.next(), PEER_A, Optional.empty(), Optional.empty())).containsSame(olderHandler);
                assertThat(pool.idle(loop.next())).isEqualTo(1); // the closed one is gone, B's stays
            }).sync();
            for (Channel ch : new Channel[] {older, other, newer, server}) ch.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aConnectionTheUpstreamClosesWhileIdleIsForgotten() {
        UpstreamPool pool = pool(4);
        EmbeddedChannel closed = new EmbeddedChannel();
        pool.offer(connection(pool, A, closed));
        closed.close();
        assertThat(pool.idle(closed.eventLoop())).isZero();
        assertThat(pool.take(closed.eventLoop(), PEER_A, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void aConnectionIsClosedInsteadOfKeptOnceItServedKeepaliveRequests() {
        UpstreamPool pool = new UpstreamPool(new UpstreamKeepalive(4, 2, Duration.ofHours(1), Duration.ofSeconds(60)),
                System::nanoTime);
        EmbeddedChannel ch = new EmbeddedChannel();
        UpstreamHandler handler = connection(pool, A, ch); // its first request done
        pool.offer(handler);
        assertThat(pool.take(ch.eventLoop(), PEER_A, Optional.empty(), Optional.empty())).containsSame(handler);

        handler.detach(); // the second
        pool.offer(handler);

        assertThat(ch.isOpen()).isFalse();
        assertThat(pool.idle(ch.eventLoop())).isZero();
    }

    @Test
    void aConnectionOlderThanKeepaliveTimeIsClosedInsteadOfKept() {
        long[] now = {0};
        UpstreamPool pool = new UpstreamPool(new UpstreamKeepalive(4, 1000, Duration.ofSeconds(10), Duration.ofHours(1)),
                () -> now[0]);
        EmbeddedChannel young = new EmbeddedChannel();
        EmbeddedChannel old = new EmbeddedChannel();
        UpstreamHandler youngHandler = connection(pool, A, young);
        now[0] = Duration.ofSeconds(5).toNanos();
        UpstreamHandler oldHandler = connection(pool, B, old); // opened 5 s after the first
        now[0] = Duration.ofSeconds(12).toNanos();

        pool.offer(youngHandler);
        pool.offer(oldHandler);

        assertThat(young.isOpen()).as("opened 12 s ago").isFalse();
        assertThat(old.isOpen()).as("opened 7 s ago").isTrue();
    }

    @Test
    void anIdleConnectionIsClosedAfterKeepaliveTimeoutAndOneTakenBackBeforeIsNot() {
        long[] now = {0};
        UpstreamPool pool = new UpstreamPool(new UpstreamKeepalive(4, 1000, Duration.ofHours(1), Duration.ofSeconds(60)),
                () -> now[0]);
        EmbeddedChannel expires = new EmbeddedChannel();
        EmbeddedChannel stays = new EmbeddedChannel();
        UpstreamHandler expiresHandler = connection(pool, A, expires);
        UpstreamHandler staysHandler = connection(pool, A, stays);
        pool.offer(expiresHandler);
        pool.offer(staysHandler);
        now[0] = Duration.ofSeconds(30).toNanos();
        // Taken back and offered again after its next request: idle since 30 s.
        assertThat(pool.take(stays.eventLoop(), PEER_A, Optional.empty(), Optional.empty())).containsSame(staysHandler);
        staysHandler.detach();
        pool.offer(staysHandler);

        now[0] = Duration.ofSeconds(60).toNanos();
        for (EmbeddedChannel ch : new EmbeddedChannel[] {expires, stays}) {
            ch.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }

        assertThat(expires.isOpen()).as("idle 60 s").isFalse();
        assertThat(stays.isOpen()).as("idle 30 s").isTrue();
        assertThat(pool.idle(stays.eventLoop())).isEqualTo(1);

        // Its own timer, rescheduled for the rest of its 60 s, closes it in turn.
        now[0] = Duration.ofSeconds(90).toNanos();
        stays.advanceTimeBy(30, java.util.concurrent.TimeUnit.SECONDS);
        stays.runScheduledPendingTasks();
        assertThat(stays.isOpen()).isFalse();
    }

    @Test
    void aPoolOfZeroClosesWhatItIsOffered() {
        UpstreamPool pool = pool(0);
        Channel ch = new EmbeddedChannel();
        pool.offer(connection(pool, A, ch));
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

    /** An owner that is never called: the connections here are idle. */
    private static final class NoExchange implements UpstreamEvents {
        @Override
        public void response(HttpResponse response) {
            throw new AssertionError("idle connection passed on a response");
        }

        @Override
        public void content(HttpContent content) {
            throw new AssertionError("idle connection passed on content");
        }

        @Override
        public void tunnel(ByteBuf bytes) {
            throw new AssertionError("idle connection passed on bytes");
        }

        @Override
        public void readComplete() {
        }

        @Override
        public void writable() {
        }

        @Override
        public void closed(String why) {
            throw new AssertionError("idle connection reported its close to an exchange");
        }
    }
}
