package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * Writes a PROXY header as the very first bytes of an upstream connection, in one write, then
 * removes itself. Writes issued before the connection is active wait behind the header, in order.
 * Put it first in the pipeline ({@link HandlerNames#PROXY_SEND}), so that the header goes out before
 * any TLS record.
 *
 * <p>One instance per connection; not sharable.
 */
public final class ProxyHeaderSender extends ChannelDuplexHandler {
    private final byte[] header;
    private PendingWriteQueue queued;
    private boolean sent;

    /**
     * A sender of {@code header}, encoded now so that a header that cannot be encoded fails here
     * rather than on the connection.
     *
     * @throws dev.proxyline.protocol.ProxyEncodeException when it cannot be encoded
     */
    public ProxyHeaderSender(ProxyHeader header) {
        this.header = ProxyHeaderEncoder.encode(Objects.requireNonNull(header, "header"));
    }

    /**
     * A sender announcing the client of {@code downstream}: the effective client and destination its
     * PROXY stage found ({@link ProxyAttributes#CONNECTION}), or else its socket addresses.
     */
    public static ProxyHeaderSender forDownstream(Channel downstream, SendSettings settings) {
        ProxiedConnection connection = downstream.attr(ProxyAttributes.CONNECTION).get();
        return connection != null
                ? new ProxyHeaderSender(settings.headerFor(connection.client(), connection.destination()))
                : new ProxyHeaderSender(settings.headerFor(downstream.remoteAddress(), downstream.localAddress()));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        queued = new PendingWriteQueue(ctx);
        if (ctx.channel().isActive()) {
            send(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (sent) {
            ctx.write(msg, promise);
        } else {
            queued.add(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (sent) {
            ctx.flush();
        } else {
            // Nothing may reach the socket before the header; sending it flushes the queue too.
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failQueued();
    }

    private void send(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ctx.write(Unpooled.wrappedBuffer(header));
        // Earlier writes follow the header in their order, with their own promises.
        queued.removeAndWriteAll();
        ctx.flush();
        ctx.pipeline().remove(this);
    }

    private void failQueued() {
        if (queued != null && !queued.isEmpty()) {
            queued.removeAndFailAll(new ClosedChannelException());
        }
    }
}
