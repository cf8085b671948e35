package dev.proxyline.server.app;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;

/**
 * The last stage before the relay. The PROXY stage, when there is one, holds {@code channelActive}
 * back until the header is in, so reaching {@code channelActive} here means every earlier stage is
 * done; bytes that followed the header come after it and reach the relay installed now.
 */
@ChannelHandler.Sharable
final class RelayStart extends ChannelInboundHandlerAdapter {
    private final StreamService service;

    RelayStart(StreamService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The relay is added first, and this handler removed after: the PROXY stage that fired this
        // event has already left the pipeline and forwards the bytes after the header through this
        // handler's context, whose successor is fixed when it is removed; it must be the relay.
        service.start(ctx.channel());
        ctx.pipeline().remove(this);
        // channelActive is not passed on: the relay takes over an active channel and needs no event for it.
    }
}
