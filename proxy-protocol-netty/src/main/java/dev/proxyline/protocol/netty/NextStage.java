package dev.proxyline.protocol.netty;

import io.netty.channel.ChannelHandlerContext;

/**
 * The stage that follows the PROXY stage on a connection, installed by the PROXY stage itself once the
 * header is in. Without it the next stage has to sit in the pipeline from the start only to wait for the
 * {@code channelActive} that the PROXY stage holds back, then add the real handlers and remove itself:
 * two pipeline changes per connection that this saves.
 */
@FunctionalInterface
public interface NextStage {
    /** Installs nothing: the next stages are in the pipeline already and wait for {@code channelActive}. */
    NextStage IN_PIPELINE = (ctx, connection) -> {
    };

    /**
     * Adds the next stages' handlers after {@code ctx}, the PROXY stage's context. Called once, on the event
     * loop, with {@link ProxyAttributes#CONNECTION} set; then the PROXY stage leaves the pipeline and passes
     * on {@code channelActive}, {@code connection} as a user event and the bytes that followed the header.
     */
    void install(ChannelHandlerContext ctx, ProxiedConnection connection);
}
