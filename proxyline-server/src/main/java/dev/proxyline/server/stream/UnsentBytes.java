package dev.proxyline.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * Counts what a channel has not yet handed to its socket: the readable bytes of the flushed writes
 * still in its outbound buffer. The relay counts bytes when it queues them, without a promise per
 * write; subtracting this when the channel closes leaves what the kernel accepted, and its change
 * between two idle checks shows that writes went on (Netty's pending total moves only per whole buffer).
 *
 * <p>At the close, read it from the channel's close future: Netty completes that before it fails the pending writes
 * and empties the buffer, and a partly written buffer's reader index then marks what went out. The
 * buffer must be taken from the channel while it is open; a closed channel no longer hands it out.
 */
final class UnsentBytes implements ChannelOutboundBuffer.MessageProcessor {

    private int skip;
    private long bytes;

    private UnsentBytes(int skip) {
        this.skip = skip;
    }

    /**
     * @param out the channel's outbound buffer, taken while it was open
     * @param skip how many writes at the head are not the relay's (an unfinished upstream preface)
     */
    static long in(ChannelOutboundBuffer out, int skip) {
        UnsentBytes count = new UnsentBytes(skip);
        try {
            out.forEachFlushedMessage(count);
        } catch (Exception e) {
            // processMessage throws nothing; the signature is Netty's.
            throw new IllegalStateException(e);
        }
        return count.bytes;
    }

    @Override
    public boolean processMessage(Object msg) {
        if (skip > 0) {
            skip--;
        } else if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        }
        return true;
    }
}
