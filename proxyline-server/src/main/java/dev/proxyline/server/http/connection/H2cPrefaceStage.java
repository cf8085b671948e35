package dev.proxyline.server.http.connection;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.RequestStage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An {@code http2} socket without {@code ssl} serves HTTP/2 with prior knowledge and HTTP/1.1 alike, as
 * nginx does: the first bytes decide. Only peeks; what it read goes on to the chosen codec. A client that
 * sends too little to decide within the deadline is closed.
 */
final class H2cPrefaceStage extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final long serial;
    private final RequestStage requestStage;
    private final long timeoutMillis;
    private boolean activeHeld;
    private ScheduledFuture<?> deadline;

    H2cPrefaceStage(long serial, RequestStage requestStage, long timeoutMillis) {
        this.serial = serial;
        this.requestStage = requestStage;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activeHeld = true;
        Runnable closeUndecided = ctx::close;
        deadline = ctx.executor().schedule(closeUndecided, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE.getByte(i)) {
                decide(ctx, HttpConnection.HTTP_1_1);
                return;
            }
        }
        if (n == PREFACE.readableBytes()) decide(ctx, HttpConnection.HTTP_2);
    }

    private void decide(ChannelHandlerContext ctx, String protocol) {
        if (deadline != null) deadline.cancel(false);
        StageSwitch.switchTo(ctx, protocol, serial, Optional.empty(), requestStage, activeHeld);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) deadline.cancel(false);
    }
}
