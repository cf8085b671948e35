package dev.proxyline.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;

/**
 * A listener's child handler: on each accepted channel, once registered, passes the {@code worker_connections}
 * gate, runs the listener's {@link AcceptedChannelSetup} and leaves the pipeline. Netty's
 * {@code ChannelInitializer} would do the same while keeping every context it initialises in a concurrent map
 * (an identity hash, a map entry and its removal per connection), because it may also be added to a channel
 * that is registered already; a listener adds this one before the channel is registered, and the pipeline
 * calls {@link #handlerAdded} once, when registration is done.
 */
@ChannelHandler.Sharable
final class AcceptedChannelInitializer extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(AcceptedChannelInitializer.class.getName());

    private final WorkerConnections connections;
    private final AcceptedChannelSetup setup;

    AcceptedChannelInitializer(WorkerConnections connections, AcceptedChannelSetup setup) {
        this.connections = connections;
        this.setup = setup;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        try {
            if (connections.admit(ch)) {
                setup.setUp(ch);
            }
        } catch (Throwable e) {
            // Our bug, not the peer's: the stack trace is wanted. The connection cannot be served half set up.
            LOG.log(Level.WARNING, "failed to set up " + ch + "; closing it", e);
            ch.close();
        } finally {
            if (!ctx.isRemoved()) {
                ctx.pipeline().remove(this);
            }
        }
    }
}
