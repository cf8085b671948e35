package dev.proxyline.server.stream.preread;

import dev.proxyline.config.SslPreread;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ssl_preread} on the channel path: the stage after the PROXY header and the access checks, before the
 * relay. Holds the client's bytes ({@link PrereadBuffer}) until they are a ClientHello or not TLS, then hands the
 * session on ({@link Done#proceed}: the relay takes the channel over), steps out of the pipeline and passes the bytes
 * on, which the relay sends to the upstream first. Ends the session instead, as nginx does, when the buffer fills
 * up first (400) or when the client closes, fails or {@code preread_timeout} passes first (200).
 *
 * <p>Added only for servers with {@code ssl_preread on}; one per connection, used on its event loop.
 */
public final class SslPrereadHandler extends ChannelInboundHandlerAdapter {
    /** Pipeline name of the stage. */
    public static final String NAME = "ssl-preread";

    /** The session's side: what comes after the preread. Called once, on the loop. */
    public interface Done {
        /** The preread is over: the relay takes the channel over now; {@code hello} is empty when it was not TLS. */
        void proceed(Optional<ClientHello> hello);

        /** The session ends without an upstream, with {@code status}; the channel is being closed. */
        void ended(int status, Optional<ClientHello> hello, String why);
    }

    private final SslPreread settings;
    private final PrereadBuffer buffer;
    private final Done done;
    private ScheduledFuture<?> deadline;
    private boolean over;

    public SslPrereadHandler(SslPreread settings, Done done) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.buffer = new PrereadBuffer(settings.bufferSize());
        this.done = Objects.requireNonNull(done, "done");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // One deadline for the whole phase, as nginx arms its preread timer once.
        deadline = ctx.executor().schedule(() -> end(ctx, 200, "preread timed out"),
                settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (over || !(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            ByteBuffer bytes = buf.nioBuffer();
            buffer.add(bytes, bytes.position(), bytes.remaining());
        } finally {
            buf.release();
        }
        PrereadBuffer.Verdict verdict = buffer.judge();
        switch (verdict.kind()) {
            case DONE -> handOn(ctx, verdict.hello());
            case FULL -> end(ctx, 400, verdict.why());
            case NEED_MORE -> {
                if (!ctx.channel().config().isAutoRead()) {
                    ctx.read();
                }
            }
        }
    }

    private void handOn(ChannelHandlerContext ctx, Optional<ClientHello> hello) {
        over = true;
        cancelDeadline();
        // The relay's handler is added by proceed; this context still forwards to it once removed.
        done.proceed(hello);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(Unpooled.wrappedBuffer(buffer.array(), 0, buffer.length()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // nginx ends the session with 200 when the client closes before the hello is complete.
        end(ctx, 200, "client closed before the ClientHello was complete");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(ctx, 200, "client side: " + cause.getMessage());
    }

    private void end(ChannelHandlerContext ctx, int status, String why) {
        if (over) {
            return;
        }
        over = true;
        cancelDeadline();
        ctx.close();
        done.ended(status, buffer.unfinished(), why);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
