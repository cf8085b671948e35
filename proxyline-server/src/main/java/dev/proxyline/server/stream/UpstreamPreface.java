package dev.proxyline.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Writes whatever must reach the upstream before the client's first byte, typically a PROXY protocol
 * header. The relay starts (and zero-copy splicing may start) only after the returned future
 * succeeds, so the preface is never interleaved with or bypassed by relayed bytes.
 */
@FunctionalInterface
public interface UpstreamPreface {

    /** Writes nothing; the relay starts at once. */
    UpstreamPreface NONE = (client, upstream) -> upstream.eventLoop().newSucceededFuture(null);

    /**
     * A preface made of bytes computed from the two channels, e.g. an encoded PROXY header describing
     * {@code client.remoteAddress()} and {@code client.localAddress()}. The buffer is written and
     * flushed; ownership passes to the upstream channel.
     */
    static UpstreamPreface of(BiFunction<Channel, Channel, ByteBuf> bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return (client, upstream) -> upstream.writeAndFlush(bytes.apply(client, upstream));
    }

    /**
     * Writes and flushes the preface. Called on the event loop both channels share.
     *
     * @param client the client channel (its addresses are what a PROXY header describes)
     * @param upstream the connected upstream channel
     * @return a future that succeeds once the preface is written; a failure ends the session with 502
     */
    Future<?> write(Channel client, Channel upstream);
}
