package dev.proxyline.server.http.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP/1 decoder and reports that bytes arrived, before they make a whole request head:
 * nginx switches from {@code keepalive_timeout} to {@code client_header_timeout} at the first byte of
 * the next request, which the decoder alone would only show once the head is complete.
 */
final class FirstByteWatch extends ChannelInboundHandlerAdapter {
    private final Runnable bytesArrived;

    FirstByteWatch(Runnable bytesArrived) {
        this.bytesArrived = bytesArrived;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        bytesArrived.run();
        ctx.fireChannelRead(msg);
    }
}
