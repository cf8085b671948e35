package dev.proxyline.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens upstream connections on the event loop of the accepted channel they serve, so a relay between
 * the two never crosses threads (no locks, no handoff between threads).
 */
public final class UpstreamBootstrap {

    private final UpstreamOptions options;
    private final int connectTimeoutMillis;

    /** Connections will use {@code options}. */
    public UpstreamBootstrap(UpstreamOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.connectTimeoutMillis = (int) options.connectTimeout().toMillis();
    }

    /** The options connections are opened with. */
    public UpstreamOptions options() {
        return options;
    }

    /**
     * Connects to {@code remote} on {@code accepted}'s event loop with the same transport as
     * {@code accepted}. The new channel starts with reading off and half-closure allowed; the
     * caller's relay decides when to read.
     *
     * @param accepted the client channel the connection is for
     * @param remote the upstream address (already resolved; names are never looked up here)
     * @param handler the handler the new channel gets before it connects
     * @return the connect future; fails on refusal, unreachable address or after the connect timeout
     */
    public ChannelFuture connect(Channel accepted, InetSocketAddress remote, ChannelHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return connect(accepted, remote, Optional.of(handler));
    }

    /**
     * As {@link #connect(Channel, InetSocketAddress, ChannelHandler)}, for a caller that installs its
     * handler once connected: the channel starts with an empty pipeline, which nothing reads from
     * since reading is off.
     */
    public ChannelFuture connect(Channel accepted, InetSocketAddress remote) {
        return connect(accepted, remote, Optional.empty());
    }

    private ChannelFuture connect(Channel accepted, InetSocketAddress remote, Optional<ChannelHandler> handler) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("upstream address " + remote + " is unresolved (expected an IP)");
        }
        // What Bootstrap does, without what it costs per connection: an options map and its array copy,
        // a reflective constructor call and a resolver lookup for an address that is already resolved.
        SocketChannel ch = Transport.of(accepted).newSocketChannel(remote);
        ChannelConfig config = ch.config();
        config.setConnectTimeoutMillis(connectTimeoutMillis);
        config.setAutoRead(false);
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // TCP_NODELAY is Netty's default for new sockets (tested) and SO_KEEPALIVE is off in one: each
        // redundant set would be a setsockopt per connection.
        if (options.keepAlive()) {
            config.setOption(ChannelOption.SO_KEEPALIVE, true);
        }
        handler.ifPresent(ch.pipeline()::addLast);
        // Bound to the loop explicitly: a channel that failed to register has none to notify on.
        ChannelPromise connected = new DefaultChannelPromise(ch, accepted.eventLoop());
        accepted.eventLoop().register(ch).addListener(registered -> {
            if (!registered.isSuccess()) {
                ch.unsafe().closeForcibly();
                connected.setFailure(registered.cause());
                return;
            }
            if (options.bindAddress().isPresent()) {
                ch.connect(remote, new InetSocketAddress(options.bindAddress().get(), 0), connected);
            } else {
                ch.connect(remote, connected);
            }
        });
        connected.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return connected;
    }
}
