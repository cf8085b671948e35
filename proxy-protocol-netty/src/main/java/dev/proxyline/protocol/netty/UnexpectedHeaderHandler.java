package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.netty.ProxyHeaderSniffer.Sniff;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The self-diagnosis stage of one connection on a listener without {@code proxy_protocol} (see
 * {@link UnexpectedHeaderStage}).
 *
 * <p>It passes {@code channelActive} on at once and looks at the first bytes as they arrive. As soon
 * as they rule a PROXY header out (the first byte of nearly every connection; the second to fourth of
 * a request whose method starts with P) it removes itself and passes them on unchanged, the first
 * read as the very buffer received. Only a proper prefix of a header start is held back, at most 12
 * bytes, and only until the next byte decides; if the input ends first, the held bytes go on before
 * the end. The next stages' own timeouts keep running meanwhile, so a client that sends "P" and
 * stops is treated as a client that stopped.
 *
 * <p>One instance per connection; not sharable.
 */
public final class UnexpectedHeaderHandler extends ChannelInboundHandlerAdapter {
    /** How long a refused connection may keep sending after the 400, so that unread bytes do not reset it. */
    private static final long LINGER_MILLIS = 2000;

    private enum State { SNIFFING, REFUSED }

    private final UnexpectedHeaderStage stage;
    private final byte[] held = new byte[ProxyHeaderSniffer.DECISIVE_LENGTH];
    private int heldLength;
    private State state = State.SNIFFING;
    private Future<?> linger;

    UnexpectedHeaderHandler(UnexpectedHeaderStage stage) {
        this.stage = stage;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.REFUSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf read)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int before = heldLength;
        int taken = Math.min(read.readableBytes(), held.length - heldLength);
        read.getBytes(read.readerIndex(), held, heldLength, taken);
        heldLength += taken;
        Sniff sniff = ProxyHeaderSniffer.sniff(held, heldLength);
        switch (sniff) {
            case NOT_PROXY -> passOn(ctx, before, read);
            // Undecided means fewer bytes than the array holds: all of this read is in it.
            case UNDECIDED -> read.release();
            case V1, V2 -> {
                read.release();
                refuse(ctx, sniff);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The next stages have not had a read since the last readComplete they saw; keep reading for them
        // (or, once refused, to drain the rest of the request until the close).
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (state == State.REFUSED) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close();
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            passOnHeld(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.SNIFFING) {
            passOnHeld(ctx);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // After the refusal the connection is this stage's alone; an I/O error there only ends it.
        if (state == State.REFUSED) {
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (linger != null) {
            linger.cancel(false);
        }
    }

    /** Steps out and passes on the bytes held before {@code read}, then {@code read} itself. */
    private void passOn(ChannelHandlerContext ctx, int heldBefore, ByteBuf read) {
        heldLength = 0;
        // A removed handler's context still forwards to the handler that followed it.
        ctx.pipeline().remove(this);
        if (heldBefore == 0) {
            ctx.fireChannelRead(read);
            return;
        }
        ByteBuf earlier = ctx.alloc().buffer(heldBefore).writeBytes(held, 0, heldBefore);
        ctx.fireChannelRead(ctx.alloc().compositeBuffer(2).addComponents(true, earlier, read));
    }

    /** The input ended while undecided: what was held can no longer be a header; it goes on as it is. */
    private void passOnHeld(ChannelHandlerContext ctx) {
        int n = heldLength;
        heldLength = 0;
        ctx.pipeline().remove(this);
        if (n > 0) {
            ctx.fireChannelRead(ctx.alloc().buffer(n).writeBytes(held, 0, n));
            ctx.fireChannelReadComplete();
        }
    }

    private void refuse(ChannelHandlerContext ctx, Sniff sniff) {
        state = State.REFUSED;
        heldLength = 0;
        if (sniff == Sniff.V1) {
            stage.counters().v1();
        } else {
            stage.counters().v2();
        }
        stage.log().report(ctx.channel().remoteAddress(), "listener " + HeaderReception.format(ctx.channel().localAddress())
                + ", peer " + HeaderReception.format(ctx.channel().remoteAddress()) + ": "
                + UnexpectedHeaderStage.DIAGNOSIS);
        stage.page().ifPresentOrElse(page -> answer(ctx, page), ctx::close);
    }

    /**
     * Writes the 400, then ends the output but reads (and drops) what the peer still sends for a
     * while: closing with unread bytes would reset the connection and could lose the answer.
     */
    private void answer(ChannelHandlerContext ctx, BadRequestPage page) {
        ByteBuf response = ctx.alloc().buffer().writeBytes(page.render());
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || !(ctx.channel() instanceof DuplexChannel duplex)) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput();
            linger = ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
