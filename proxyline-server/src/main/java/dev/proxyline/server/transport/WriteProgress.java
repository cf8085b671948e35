package dev.proxyline.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.ReferenceCountUtil;

/**
 * Whether a socket took any of its queued bytes between two looks at it: nginx's send timeouts count
 * only the time between two writes that took something, so a peer that takes bytes, however slowly, is
 * not idle. Looked at when a side pauses and when its timeout runs out, never per write.
 *
 * <p>A socket takes bytes only from the head of its outbound buffer: a partial write moves the head's
 * reader index, a complete one removes the head. A look keeps the head retained, so that the same object
 * at the head at the next look is that very message, not a pooled buffer recycled since. Netty's pending
 * total would not do (it moves only per whole message), nor would a count of the bytes still queued
 * (new writes can bring it back to the same number). One owner per look: {@link #forget()} releases it.
 *
 * <p>The queue alone misses a peer that is reading while the kernel's send buffer, grown to megabytes by
 * autotuning, drains too slowly to wake the writer: Linux reports a socket writable only once a third of
 * that buffer is free. On epoll the kernel's own clock of the last data segment it sent is asked too, so
 * such a peer counts as taking bytes, as nginx's documentation means it ("does not receive anything").
 */
public final class WriteProgress {
    private Object head; // retained; null when the last look found nothing queued, or after forget()
    private long headPosition;
    private boolean looked;
    private long lookedAtNanos;
    private EpollTcpInfo tcpInfo; // reused: made at the first look at an epoll socket

    /**
     * Looks at {@code socket}'s queue and remembers it for the next look; must run on the socket's event
     * loop. True if the socket took bytes since the previous look, and at the first look (there is
     * nothing to compare); false if the same message is still at the head, not written any further, or
     * the socket is closed. A queue that was empty at either look is not waiting on the socket: true.
     *
     * @param nowNanos the time of this look, on the clock of the previous one
     */
    public boolean tookBytes(Channel socket, long nowNanos) {
        ChannelOutboundBuffer out = socket.unsafe().outboundBuffer();
        if (out == null) {
            forget();
            return false;
        }
        Object now = out.current();
        long position = now == null ? 0 : position(now);
        boolean took = !looked || now == null || now != head || position != headPosition
                || kernelSentSince(socket, nowNanos - lookedAtNanos);
        if (now != head) {
            ReferenceCountUtil.release(head);
            head = ReferenceCountUtil.retain(now);
        }
        headPosition = position;
        looked = true;
        lookedAtNanos = nowNanos;
        return took;
    }

    /** Whether the kernel sent a data segment on {@code socket} within the last {@code nanos}; false if it cannot tell. */
    private boolean kernelSentSince(Channel socket, long nanos) {
        if (!(socket instanceof EpollSocketChannel epoll)) return false;
        if (tcpInfo == null) tcpInfo = new EpollTcpInfo();
        try {
            epoll.tcpInfo(tcpInfo);
        } catch (RuntimeException e) { // closed meanwhile
            return false;
        }
        return tcpInfo.lastDataSent() * 1_000_000 <= nanos;
    }

    /** Drops what the last look kept; the next look is a first one again. */
    public void forget() {
        if (head != null) {
            ReferenceCountUtil.release(head);
            head = null;
        }
        looked = false;
    }

    private static long position(Object message) {
        if (message instanceof ByteBuf buf) return buf.readerIndex();
        if (message instanceof FileRegion region) return region.transferred();
        return 0;
    }
}
