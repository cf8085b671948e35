package dev.proxyline.server.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Opens upstream connections on the event loop of the accepted channel they serve, so a relay between
 * the two never crosses threads (no locks, no handoff between threads).
 */
public final class UpstreamBootstrap {

    private final UpstreamOptions options;

    /** Connections will use {@code options}. */
    public UpstreamBootstrap(UpstreamOptions options) {
        this.options = Objects.requireNonNull(options, "options");
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
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(handler, "handler");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("upstream address " + remote + " is unresolved (expected an IP)");
        }
        Bootstrap b = new Bootstrap()
                .group(accepted.eventLoop())
                .channel(Transport.of(accepted).socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.SO_KEEPALIVE, options.keepAlive())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(handler);
        if (options.bindAddress().isPresent()) {
            return b.connect(remote, new InetSocketAddress(options.bindAddress().get(), 0));
        }
        return b.connect(remote);
    }
}
