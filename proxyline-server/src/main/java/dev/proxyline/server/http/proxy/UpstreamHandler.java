package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: passes what the upstream sends to the exchange using
 * the connection, or, while the connection idles in its {@link UpstreamPool}, closes it on anything
 * (an idle HTTP/1.1 connection has nothing to say; a close from the upstream just drops it).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final UpstreamPool.Key key;
    private final long openedNanos;
    private Channel channel;
    private UpstreamEvents owner; // null while idle in the pool
    private int served; // requests done on the connection, for keepalive_requests
    private long idleSinceNanos;

    /** @param key the peer and PROXY header the connection is opened with */
    UpstreamHandler(UpstreamPool pool, UpstreamPool.Key key, UpstreamEvents owner) {
        this.pool = pool;
        this.key = key;
        this.owner = owner;
        this.openedNanos = pool.now();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** The connection this handler ends; known once the handler is in its pipeline. */
    Channel channel() {
        return channel;
    }

    UpstreamPool.Key key() {
        return key;
    }

    void attach(UpstreamEvents newOwner) {
        owner = newOwner;
    }

    /** The exchange is done with the connection: one more request served. */
    void detach() {
        owner = null;
        served++;
    }

    int served() {
        return served;
    }

    long openedNanos() {
        return openedNanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        } else if (msg instanceof HttpResponse response) {
            owner.response(response); // a FullHttpResponse is also content; the exchange handles both parts
        } else if (msg instanceof HttpContent content) {
            owner.content(content);
        } else if (msg instanceof ByteBuf bytes) {
            owner.tunnel(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.readComplete();
        } else if (ctx.channel().isActive()) {
            ctx.read(); // keep watching an idle connection for the upstream's close
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null && ctx.channel().isWritable()) owner.writable();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Upstream connections allow half-closure (the bootstrap is shared with the stream relay), but an
        // HTTP response that ends with the connection ends there; the codec has emitted its last part.
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (owner == null) {
            pool.remove(this);
        } else {
            UpstreamEvents o = owner;
            owner = null;
            o.closed("upstream closed the connection");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and decoder faults end the connection; the exchange learns of it from channelInactive.
        if (owner != null) {
            UpstreamEvents o = owner;
            owner = null;
            o.closed(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        ctx.close();
    }
}
