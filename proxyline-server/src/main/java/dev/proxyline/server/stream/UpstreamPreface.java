package dev.proxyline.server.stream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

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
     * Writes and flushes the preface. Called on the event loop both channels share.
     *
     * @param client the client channel (its addresses are what a PROXY header describes)
     * @param upstream the connected upstream channel
     * @return a future that succeeds once the preface is written; a failure ends the session with 502
     */
    Future<?> write(Channel client, Channel upstream);
}
