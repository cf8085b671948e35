package dev.proxyline.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The relay's handler on one of the two channels: forwards what this channel reads to the peer channel
 * and asks for the next read only while the peer can take more. One instance per channel; both run on
 * the same event loop, so no state here needs synchronisation.
 */
final class RelayEndpoint extends ChannelInboundHandlerAdapter {

    private final RelaySession session;
    private final boolean clientSide;
    /** Bytes that arrived before the relay started (e.g. passed on by a PROXY header stage). */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private RelayEndpoint peer;
    private boolean inputShutdown;
    private boolean halfClosePropagated;

    RelayEndpoint(RelaySession session, boolean clientSide) {
        this.session = session;
        this.clientSide = clientSide;
    }

    boolean clientSide() {
        return clientSide;
    }

    Channel channel() {
        return ctx.channel();
    }

    /** True once relaying: both endpoints exist and know each other. */
    boolean started() {
        return peer != null;
    }

    boolean hasEarlyBytes() {
        return !early.isEmpty();
    }

    /** Connects this endpoint to its peer, forwards anything that arrived early and starts reading. */
    void start(RelayEndpoint peer) {
        this.peer = peer;
        boolean wrote = false;
        while (!early.isEmpty()) {
            forward(early.poll());
            wrote = true;
        }
        if (wrote) {
            peer.channel().flush();
        }
        if (inputShutdown) {
            propagateHalfClose();
        } else {
            requestRead();
        }
    }

    /** Reads once more if this side's input is open and the peer is below its high watermark. */
    void requestRead() {
        if (peer != null && !inputShutdown && ctx.channel().isActive() && peer.channel().isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            session.fail(this, new IllegalStateException(
                    "relay expects bytes, got " + msg.getClass().getName() + " from " + ctx.channel()));
            return;
        }
        session.onRead(clientSide, buf.readableBytes());
        if (peer == null) {
            early.add(buf);
        } else {
            forward(buf);
        }
    }

    private void forward(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n == 0) {
            buf.release();
            return;
        }
        // Counted on completion so $bytes_sent reports what the kernel accepted, not what was queued.
        peer.channel().write(buf).addListener(f -> {
            if (f.isSuccess()) {
                session.onWritten(!clientSide, n);
            } else {
                session.fail(peer, f.cause());
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer != null) {
            peer.channel().flush();
            requestRead();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This channel drained below its low watermark: the side that feeds it may read again.
        if (peer != null && ctx.channel().isWritable()) {
            peer.requestRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            if (peer != null) {
                propagateHalfClose();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * This side sent FIN: shut the peer's output once everything queued for it is written. The empty
     * write completes only after every earlier write to the peer did, which is what makes the FIN
     * arrive after the last byte instead of failing the writes still pending.
     */
    private void propagateHalfClose() {
        if (halfClosePropagated) {
            return;
        }
        halfClosePropagated = true;
        Channel target = peer.channel();
        target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!written.isSuccess()) {
                session.fail(peer, written.cause());
                return;
            }
            ((DuplexChannel) target).shutdownOutput().addListener(shut -> {
                if (shut.isSuccess()) {
                    session.directionDone(clientSide);
                } else {
                    session.fail(peer, shut.cause());
                }
            });
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        session.channelInactive(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.fail(this, cause);
    }

    private void releaseEarly() {
        ByteBuf b;
        while ((b = early.poll()) != null) {
            b.release();
        }
    }
}
