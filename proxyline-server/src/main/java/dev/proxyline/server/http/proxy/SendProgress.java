package dev.proxyline.server.http.proxy;

import dev.proxyline.server.transport.WriteProgress;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * What {@code send_timeout} and {@code proxy_send_timeout} wait on: whether the peer took any of what an
 * exchange wrote to it since the last look. Looked at when the side pauses and when its timer runs out.
 *
 * <p>A connection of its own (HTTP/1, plain or TLS, whose records the SslHandler queues on the socket as
 * it makes them) progresses when its socket takes bytes. An HTTP/2 stream progresses when its own data
 * moves, as in nginx, which times out a stream whose frames do not go out (its flow-control window shut)
 * while the connection carries others: when its send window changes (the flow controller sent some of its
 * data, or the peer opened the window), when a message of it was written whole, or, while its window is
 * open, when the socket took bytes. Data that the window holds back moves only by the window, so a
 * stream that the peer opens no further for the whole timeout is cut although other streams flow.
 */
final class SendProgress {
    private final WriteProgress socket = new WriteProgress();
    private boolean looked;
    private int streamWindow;
    private long streamBacklog;

    /**
     * True if {@code channel}'s peer took bytes since the previous look, and at the first look.
     *
     * @param nowNanos the time of this look, on the clock of the previous one
     */
    boolean tookBytes(Channel channel, long nowNanos) {
        if (channel instanceof Http2StreamChannel stream) return streamMoved(stream, nowNanos);
        return socket.tookBytes(channel, nowNanos);
    }

    /** Drops the last look: the side is not paused any more. */
    void forget() {
        socket.forget();
        looked = false;
    }

    private boolean streamMoved(Http2StreamChannel channel, long nowNanos) {
        Http2ConnectionHandler h2 = channel.parent().pipeline().get(Http2ConnectionHandler.class);
        Http2Connection connection = h2 == null ? null : h2.connection();
        Http2Stream stream = connection == null ? null : connection.stream(channel.stream().id());
        if (stream == null) {
            forget();
            return false; // the stream or its connection is gone: nothing will move
        }
        int window = connection.remote().flowController().windowSize(stream);
        // What the stream channel holds beyond its low watermark; it drops when a write completes whole.
        long backlog = channel.bytesBeforeWritable();
        boolean socketTook = socket.tookBytes(channel.parent(), nowNanos);
        boolean moved = !looked || window != streamWindow || backlog != streamBacklog || (window > 0 && socketTook);
        looked = true;
        streamWindow = window;
        streamBacklog = backlog;
        return moved;
    }
}
