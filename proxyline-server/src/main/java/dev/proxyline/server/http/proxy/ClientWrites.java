package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The writes of responses to one client connection, with as few writes, flushes and promises as the response allows:
 * a head is held until its body's first part comes or the upstream's read ends, so that a response whose body came
 * whole in one read goes to the encoder as one message, one buffer and one write; what a read burst brought is
 * flushed once; and only a last write after which the connection closes keeps its future (every other write takes
 * the void promise: a failure closes the channel).
 */
final class ClientWrites {
    private final ChannelHandlerContext ctx;
    /** The last write's future, kept only when the connection is to close after it. */
    private ChannelFuture lastWrite;
    /** Something was written since the last flush. */
    private boolean unflushed;
    /** The response head, held until the body's first part comes or the upstream's read ends. */
    private HttpResponse heldHead;

    ClientWrites(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Holds {@code head}: written with the body, or by {@link #flush()} when the upstream's read ends. */
    void head(HttpResponse head) {
        heldHead = head;
        unflushed = true;
    }

    /** Forgets a held head: the response it began will not be sent (the connection is cut, or a page replaces it). */
    void dropHead() {
        heldHead = null;
    }

    /** Writes a part of the body; the last part is flushed at once, the others by {@link #flush()}. */
    void body(HttpContent content, boolean keepAlive) {
        if (heldHead != null && content instanceof LastHttpContent last) {
            HttpResponse head = heldHead;
            heldHead = null;
            // The body's owner is now the whole response (the encoder releases it).
            last(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), last.content(), head.headers(),
                    last.trailingHeaders()), keepAlive);
            return;
        }
        writeHeldHead();
        if (content instanceof LastHttpContent) {
            last(content, keepAlive);
        } else {
            ctx.write(content, ctx.voidPromise());
            unflushed = true;
        }
    }

    /**
     * Writes and flushes the response's end. Its future is wanted only to close the connection after it; on a
     * connection kept alive ({@code keepAlive}) none is made, and a close decided later waits on an empty write.
     */
    void last(Object message, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(message, ctx.voidPromise());
            lastWrite = null;
        } else {
            lastWrite = ctx.writeAndFlush(message);
        }
        unflushed = false;
    }

    /**
     * Sends what was written so far. Only if anything was: an empty flush still runs the pipeline, and on a TLS
     * connection makes the engine wrap an empty buffer, per request.
     */
    void flush() {
        if (!unflushed) return;
        unflushed = false;
        writeHeldHead();
        ctx.flush();
    }

    /** Bytes of the protocol the connection switched to, flushed at once. */
    void raw(ByteBuf bytes) {
        writeHeldHead();
        ctx.writeAndFlush(bytes, ctx.voidPromise());
        lastWrite = null;
        unflushed = false;
    }

    /** Closes the connection once everything written is out. */
    void closeAfterFlush() {
        // Without the last write's future, an empty write queued behind it completes once it is out.
        ChannelFuture written = lastWrite != null ? lastWrite : ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
        written.addListener(ChannelFutureListener.CLOSE);
    }

    private void writeHeldHead() {
        if (heldHead == null) return;
        ctx.write(heldHead, ctx.voidPromise());
        heldHead = null;
    }
}
