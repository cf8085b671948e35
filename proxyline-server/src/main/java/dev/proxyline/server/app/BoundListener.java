package dev.proxyline.server.app;

import dev.proxyline.server.stream.raw.RawStreamListener;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Objects;

/** One bound {@code listen}: a Netty server channel, or a stream listen accepting on raw descriptors. */
sealed interface BoundListener {
    /** The bound address (the port as the kernel assigned it). */
    InetSocketAddress localAddress();

    /** Stops accepting; returns once it has. */
    void close();

    /** A listen served by a Netty server channel. */
    record OnChannel(Channel channel) implements BoundListener {
        public OnChannel {
            Objects.requireNonNull(channel, "channel");
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) channel.localAddress();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
        }
    }

    /** A stream listen accepting on raw descriptors. */
    record Raw(RawStreamListener listener) implements BoundListener {
        public Raw {
            Objects.requireNonNull(listener, "listener");
        }

        @Override
        public InetSocketAddress localAddress() {
            return listener.localAddress();
        }

        @Override
        public void close() {
            listener.close().awaitUninterruptibly();
        }
    }
}
