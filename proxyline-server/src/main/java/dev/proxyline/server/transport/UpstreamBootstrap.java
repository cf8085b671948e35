package dev.proxyline.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
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
     * @param remote the upstream address: an {@code InetSocketAddress}, already resolved (names are never looked up
     *               here), or the {@code UnixDomainSocketAddress} of a {@code unix:PATH} upstream
     * @param handler the handler the new channel gets before it connects
     * @return the connect future; fails on refusal, unreachable address or after the connect timeout
     */
    public ChannelFuture connect(Channel accepted, SocketAddress remote, ChannelHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return connect(accepted, remote, Optional.of(handler));
    }

    /**
     * As {@link #connect(Channel, SocketAddress, ChannelHandler)}, for a caller that installs its
     * handler once connected: the channel starts with an empty pipeline, which nothing reads from
     * since reading is off.
     */
    public ChannelFuture connect(Channel accepted, SocketAddress remote) {
        return connect(accepted, remote, Optional.empty());
    }

    private ChannelFuture connect(Channel accepted, SocketAddress remote, Optional<ChannelHandler> handler) {
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(remote, "remote");
        // What Bootstrap does, without what it costs per connection: an options map and its array copy,
        // a reflective constructor call and a resolver lookup for an address that is already resolved.
        Channel ch;
        SocketAddress target;
        boolean tcp;
        if (remote instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                throw new IllegalArgumentException("upstream address " + remote + " is unresolved (expected an IP)");
            }
            ch = Transport.of(accepted).newSocketChannel(inet);
            target = inet;
            tcp = true;
        } else {
            Transport transport = Transport.of(accepted);
            ch = transport.newDomainSocketChannel();
            target = transport.domainAddress((UnixDomainSocketAddress) remote);
            tcp = false;
        }
        ChannelConfig config = ch.config();
        config.setConnectTimeoutMillis(connectTimeoutMillis);
        config.setAutoRead(false);
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // TCP_NODELAY is Netty's default for new sockets (tested) and SO_KEEPALIVE is off in one: each
        // redundant set would be a setsockopt per connection. A UNIX-domain socket has neither, as in nginx.
        if (tcp && options.keepAlive()) {
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
            // proxy_bind's address is an IP one: a UNIX-domain socket connects without it.
            if (tcp && options.bindAddress().isPresent()) {
                ch.connect(target, new InetSocketAddress(options.bindAddress().get(), 0), connected);
            } else {
                ch.connect(target, connected);
            }
        });
        connected.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return connected;
    }
}
