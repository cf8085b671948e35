package dev.proxyline.protocol.netty.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** An {@link EmbeddedChannel} with real-looking socket addresses, for handlers that read them. */
public final class PeerChannel extends EmbeddedChannel {
    public static final InetSocketAddress BALANCER = new InetSocketAddress(ip("127.0.0.7"), 40007);
    public static final InetSocketAddress LISTENER = new InetSocketAddress(ip("127.0.0.1"), 8443);

    private final SocketAddress peer;
    private final SocketAddress local;

    private PeerChannel(SocketAddress peer, SocketAddress local, boolean autoRead, ChannelHandler... handlers) {
        super(false, true, handlers);
        this.peer = peer;
        this.local = local;
        config().setAutoRead(autoRead);
    }

    /** Registered and active, with the given addresses and handlers. */
    public static PeerChannel connected(SocketAddress peer, SocketAddress local, boolean autoRead, ChannelHandler... handlers) {
        PeerChannel channel = new PeerChannel(peer, local, autoRead, handlers);
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }

    /** From {@link #BALANCER} to {@link #LISTENER}, auto-read on. */
    public static PeerChannel fromBalancer(ChannelHandler... handlers) {
        return connected(BALANCER, LISTENER, true, handlers);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return peer;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    public static java.net.InetAddress ip(String literal) {
        return dev.proxyline.protocol.InetLiterals.parseOrThrow(literal, "test address");
    }
}
