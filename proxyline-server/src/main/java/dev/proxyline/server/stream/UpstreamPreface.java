package dev.proxyline.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * What the upstream must see before the client's first byte, typically a PROXY protocol header. The
 * relay writes it first and sends it in one write with whatever the client has sent by then, so a
 * short exchange costs one packet less than a header sent on its own.
 */
@FunctionalInterface
public interface UpstreamPreface {

    /** Nothing before the client's bytes. */
    UpstreamPreface NONE = (client, upstream) -> Unpooled.EMPTY_BUFFER;

    /**
     * The preface for this pair of channels, e.g. an encoded PROXY header describing
     * {@code client.remoteAddress()} and {@code client.localAddress()}. Called on the event loop both
     * channels share, once the upstream is connected; ownership of the buffer passes to the caller.
     * Throwing ends the session with 502.
     *
     * @param client the client channel (its addresses are what a PROXY header describes)
     * @param upstream the connected upstream channel
     */
    ByteBuf bytes(Channel client, Channel upstream);
}
