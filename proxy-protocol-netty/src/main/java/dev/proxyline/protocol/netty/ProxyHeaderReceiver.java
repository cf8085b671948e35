package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY stage of one connection: reads the header before any other handler sees a byte, then
 * sets {@link ProxyAttributes#CONNECTION}, removes itself and passes the connection on.
 *
 * <p>While it waits, the next stages see nothing: not the bytes, nor {@code channelActive}, which
 * they receive when the header is in, followed by the {@link ProxiedConnection} as a user event and
 * then the bytes that followed the header, exactly as received. A connection whose header is
 * invalid, late, truncated, missing or from a {@link HeaderPolicy#REJECT} source is closed, counted
 * by {@link dev.proxyline.protocol.Reason} and logged once.
 *
 * <p>One instance per connection (created by {@link ProxyReceiveStage}); not sharable.
 */
public final class ProxyHeaderReceiver extends ChannelInboundHandlerAdapter {
    private enum State { NEW, WAITING, DONE, FAILED }

    private final HeaderReception reception;
    private final NextStage next;
    private final HeaderBuffer buffer;
    private State state = State.NEW;
    private HeaderPolicy policy;
    private Future<?> deadline;
    /** True when channelActive reached this handler and is held back from the next stages. */
    private boolean activeHeld;

    ProxyHeaderReceiver(ProxyReceiveStage stage, NextStage next) {
        this.reception = stage.reception();
        this.next = next;
        this.buffer = new HeaderBuffer(reception.decoder());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activeHeld = true;
        start(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (state != State.NEW) {
            return;
        }
        state = State.WAITING;
        policy = reception.policyFor(ctx.channel().remoteAddress());
        Optional<HeaderReception.Refuse> untrusted = reception.beforeReading(policy);
        if (untrusted.isPresent()) {
            refuse(ctx, untrusted.get());
            return;
        }
        deadline = ctx.executor().schedule(() -> onDeadline(ctx),
                reception.settings().deadline().toNanos(), TimeUnit.NANOSECONDS);
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state != State.WAITING || !(msg instanceof ByteBuf read)) {
            // After a refusal the connection is closing: drop what is still in flight.
            ReferenceCountUtil.release(msg);
            if (state == State.WAITING) {
                internalError(ctx, new IllegalArgumentException("expected a ByteBuf, got " + msg.getClass().getName()));
            }
            return;
        }
        DecodeResult result;
        try {
            result = buffer.offer(read);
        } catch (RuntimeException e) {
            read.release();
            internalError(ctx, e);
            return;
        }
        HeaderReception.Verdict verdict = reception.judge(result, policy);
        if (verdict instanceof HeaderReception.Accept accept) {
            read.skipBytes(buffer.headerBytesIn(accept.complete()));
            complete(ctx, Optional.of(accept.complete().header()), read);
        } else if (verdict instanceof HeaderReception.PassOn) {
            complete(ctx, Optional.empty(), withHeldBytes(ctx, read));
        } else if (verdict instanceof HeaderReception.Refuse refusal) {
            read.release();
            refuse(ctx, refusal);
        } else {
            read.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The next stages get readComplete once they have had a read; until then keep reading.
        if (state == State.WAITING && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (state == State.WAITING) {
                endOfInput(ctx);
            }
            return;
        }
        if (evt == ChannelInputShutdownReadComplete.INSTANCE && state != State.DONE) {
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.WAITING) {
            endOfInput(ctx);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An I/O error before the header (such as a reset): the connection ends; channelInactive
        // counts it as empty or truncated. Later stages have not started, so it is not theirs.
        if (state == State.WAITING || state == State.FAILED) {
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
        buffer.clear();
    }

    private void onDeadline(ChannelHandlerContext ctx) {
        if (state == State.WAITING) {
            refuse(ctx, reception.late(buffer.held()));
        }
    }

    private void endOfInput(ChannelHandlerContext ctx) {
        refuse(ctx, reception.endOfInput(buffer.held()));
    }

    /** Ends the stage: publishes the result, steps out of the pipeline and passes {@code rest} on. */
    private void complete(ChannelHandlerContext ctx, Optional<ProxyHeader> header, ByteBuf rest) {
        state = State.DONE;
        cancelDeadline();
        buffer.clear();
        ProxiedConnection connection = reception.accept(
                ctx.channel().remoteAddress(), ctx.channel().localAddress(), policy, header);
        ctx.channel().attr(ProxyAttributes.CONNECTION).set(connection);
        try {
            next.install(ctx, connection);
        } catch (RuntimeException e) {
            rest.release();
            internalError(ctx, e);
            return;
        }
        // A removed handler's context still forwards to the handler that followed it.
        ctx.pipeline().remove(this);
        if (activeHeld) {
            ctx.fireChannelActive();
        }
        ctx.fireUserEventTriggered(connection);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    /** {@code read}, preceded by the bytes held from earlier reads, if any; takes ownership of {@code read}. */
    private ByteBuf withHeldBytes(ChannelHandlerContext ctx, ByteBuf read) {
        int held = buffer.heldBeforeLastRead();
        if (held == 0) {
            return read;
        }
        ByteBuf earlier = ctx.alloc().buffer(held);
        buffer.copyHeldBeforeLastRead(earlier);
        return ctx.alloc().compositeBuffer(2).addComponents(true, earlier, read);
    }

    private void refuse(ChannelHandlerContext ctx, HeaderReception.Refuse refusal) {
        if (state != State.WAITING) {
            return;
        }
        state = State.FAILED;
        cancelDeadline();
        buffer.clear();
        reception.refuse(refusal, ctx.channel().remoteAddress(), ctx.channel().localAddress());
        ctx.close();
    }

    private void internalError(ChannelHandlerContext ctx, RuntimeException e) {
        state = State.FAILED;
        cancelDeadline();
        buffer.clear();
        reception.internalError(ctx.channel().remoteAddress(), ctx.channel().localAddress(), e);
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
