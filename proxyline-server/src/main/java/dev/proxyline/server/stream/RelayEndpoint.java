package dev.proxyline.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The relay's handler on one of the two channels: forwards what this channel reads to the peer channel
 * and reads only while the peer can take more. One instance per channel; both run on the same event
 * loop, so no state here needs synchronisation.
 *
 * <p>Reading is switched with autoRead at the peer's watermarks rather than requested one read at a
 * time: with autoRead on, Netty reads until the socket is empty (up to the allocator's reads per
 * wake-up) and keeps the socket's read interest registered, so a busy stream costs one
 * {@code epoll_wait} per batch of buffers instead of one per buffer plus two {@code epoll_ctl}. The
 * peer's writability changes as soon as a write crosses its high watermark, which turns autoRead off
 * inside the read loop, so a direction still holds at most {@code bufferSize + waterMark.high} bytes.
 */
final class RelayEndpoint extends ChannelInboundHandlerAdapter {

    private final RelaySession session;
    private final boolean clientSide;
    /** Bytes that arrived before the relay started (e.g. passed on by a PROXY header stage). */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    /** Reading stops before the relay starts once this many early bytes are held. */
    private final int earlyLimit;
    private long earlyBytes;

    private ChannelHandlerContext ctx;
    private RelayEndpoint peer;
    private boolean inputShutdown;
    private boolean halfClosePropagated;
    /** Reading stays off whatever the peer's writability says: a splice hand-over is under way. */
    private boolean paused;

    RelayEndpoint(RelaySession session, boolean clientSide, int earlyLimit) {
        this.session = session;
        this.clientSide = clientSide;
        this.earlyLimit = earlyLimit;
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

    /**
     * Connects this endpoint to its peer, forwards anything that arrived early (behind what was queued
     * on the peer before, the upstream preface) and starts reading. The early bytes of a channel that
     * already closed are forwarded too (see {@link RelaySession#keepsEarlyBytes}).
     */
    void start(RelayEndpoint peer) {
        this.peer = peer;
        boolean wrote = false;
        while (!early.isEmpty()) {
            forward(early.poll());
            wrote = true;
        }
        earlyBytes = 0;
        if (wrote) {
            peer.channel().flush();
        }
        if (inputShutdown) {
            propagateHalfClose();
        } else {
            readWhile(peer.channel().isWritable());
        }
    }

    /** Reads from this side while {@code peerWritable}, as long as its input is open. */
    void readWhile(boolean peerWritable) {
        if (peer != null && !paused && !inputShutdown && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(peerWritable);
        }
    }

    /** Stops reading until {@link #resume}; the current read loop ends after the buffer in hand. */
    void pause() {
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Reads again as the peer's writability allows. */
    void resume() {
        paused = false;
        readWhile(peer.channel().isWritable());
    }

    /** True once this side's FIN was seen; it is then passed on, or already was. */
    boolean inputShutdown() {
        return inputShutdown;
    }

    /** The channel this endpoint writes to, once started. */
    Channel peerChannel() {
        return peer.channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!session.keepsEarlyBytes(this)) {
            discardEarlyBytes();
        }
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
            earlyBytes += buf.readableBytes();
            if (earlyBytes >= earlyLimit) {
                ctx.channel().config().setAutoRead(false);
            }
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
        Channel out = peer.channel();
        // No promise per write: a failed write reaches the peer's exceptionCaught, which fails the session
        // blaming the peer's side. Counted once queued; what a closing channel still holds is taken off
        // again (RelaySession#closed), so $bytes_sent reports what the kernel accepted. A closed channel
        // queues nothing and fails the write at once.
        if (out.unsafe().outboundBuffer() != null) {
            session.onWritten(!clientSide, n);
        }
        out.write(buf, out.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer != null) {
            peer.channel().flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Above its high watermark the side that feeds this channel stops reading; below the low one it resumes.
        if (peer != null) {
            peer.readWhile(ctx.channel().isWritable());
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
     * This side sent FIN: pass it on once everything queued for the peer is written. The empty write
     * completes only after every earlier write to the peer did, which is what makes the FIN arrive
     * after the last byte instead of failing the writes still pending.
     */
    private void propagateHalfClose() {
        if (halfClosePropagated) {
            return;
        }
        halfClosePropagated = true;
        peer.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (written.isSuccess()) {
                session.inputDelivered(this, peer);
            } else {
                session.fail(peer, written.cause());
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.channelInactive(this);
        if (!session.keepsEarlyBytes(this)) {
            discardEarlyBytes();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.fail(this, cause);
    }

    /** Releases what arrived early for a relay that will not start. */
    void discardEarlyBytes() {
        ByteBuf b;
        while ((b = early.poll()) != null) {
            b.release();
        }
    }
}
