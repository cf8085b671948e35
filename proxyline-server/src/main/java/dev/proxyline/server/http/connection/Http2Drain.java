package dev.proxyline.server.http.connection;

import dev.proxyline.server.http.Drain;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Ends an HTTP/2 connection gracefully when the server drains: closing through the frame codec makes
 * Netty send GOAWAY with the last stream it accepted and close once the open streams have finished,
 * so clients retry new requests elsewhere and running ones complete. Without it an idle HTTP/2
 * connection would stay open until the drain deadline cut it.
 */
@ChannelHandler.Sharable
final class Http2Drain extends ChannelInboundHandlerAdapter {
    static final Http2Drain INSTANCE = new Http2Drain();

    private Http2Drain() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.REQUESTED) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
