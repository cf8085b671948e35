package dev.proxyline.server.stream;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the byte relay.
 *
 * @param bufferSize {@code proxy_buffer_size}: the most bytes one read takes from a socket (the size of
 *     the buffer the read allocator hands out). Because the relay stops reading as soon as a write
 *     takes the other side above its high watermark, the memory one direction can hold is bounded by
 *     {@code bufferSize + waterMark.high()}. It is deliberately not mapped to SO_RCVBUF: a fixed
 *     kernel buffer disables TCP receive-window autotuning, which nginx also leaves to
 *     {@code listen ... rcvbuf=} (see {@link dev.proxyline.server.transport.ListenerOptions}).
 * @param waterMark when a socket's pending outbound bytes exceed {@code high}, reading from the other
 *     side pauses until they drop below {@code low}
 * @param idleTimeout {@code proxy_timeout}: the session is closed when nothing was read or written on
 *     either connection for this long (nginx's default is 10 minutes); writes are seen by the check that
 *     runs once per timeout, so a session whose last event was a write may live up to twice as long
 * @param splice {@code proxy_splice}: on the epoll transport, a relay whose read fills a whole buffer
 *     moves on to zero-copy splice(2) (see {@link StreamProxy}); ignored on other transports
 * @param halfClose {@code proxy_half_close}: when on, a FIN from one side is passed on to the other after
 *     the last byte and the session lasts until both directions ended; when off (nginx's default) the first
 *     FIN ends the session once everything read before it was written, and both connections close
 */
public record RelayOptions(int bufferSize, WriteBufferWaterMark waterMark, Duration idleTimeout, boolean splice,
                           boolean halfClose) {

    /** nginx's default {@code proxy_buffer_size}. */
    public static final int DEFAULT_BUFFER_SIZE = 16 * 1024;

    /** Netty's own default for stream channels; bounds how long one busy connection holds its event loop. */
    public static final int READS_PER_WAKEUP = 16;

    /** nginx's default {@code proxy_timeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    /** Validates the settings. */
    public RelayOptions {
        Objects.requireNonNull(waterMark, "waterMark");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("proxy_buffer_size: " + bufferSize + " (expected at least 1)");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("proxy_timeout: " + idleTimeout + " (expected a positive duration)");
        }
    }

    /**
     * nginx's defaults (16 KiB buffers, 10 minute timeout, half-close off), Netty's 32/64 KiB watermarks,
     * splice on.
     */
    public static RelayOptions defaults() {
        return new RelayOptions(DEFAULT_BUFFER_SIZE, new WriteBufferWaterMark(32 * 1024, 64 * 1024), DEFAULT_IDLE_TIMEOUT,
                true, false);
    }

    /**
     * The read allocator of relayed channels: {@code bufferSize} per read, and up to
     * {@link #READS_PER_WAKEUP} reads per readiness event while each fills its buffer and the other
     * side stays writable. One instance serves every channel (each gets its own handle).
     */
    public RecvByteBufAllocator readAllocator() {
        return new FixedRecvByteBufAllocator(bufferSize).maxMessagesPerRead(READS_PER_WAKEUP);
    }

    /** A copy with another buffer size. */
    public RelayOptions withBufferSize(int size) {
        return new RelayOptions(size, waterMark, idleTimeout, splice, halfClose);
    }

    /** A copy with other watermarks. */
    public RelayOptions withWaterMark(WriteBufferWaterMark mark) {
        return new RelayOptions(bufferSize, mark, idleTimeout, splice, halfClose);
    }

    /** A copy with another idle timeout. */
    public RelayOptions withIdleTimeout(Duration timeout) {
        return new RelayOptions(bufferSize, waterMark, timeout, splice, halfClose);
    }

    /** A copy with splicing switched on or off. */
    public RelayOptions withSplice(boolean on) {
        return new RelayOptions(bufferSize, waterMark, idleTimeout, on, halfClose);
    }

    /** A copy with half-close ({@code proxy_half_close}) switched on or off. */
    public RelayOptions withHalfClose(boolean on) {
        return new RelayOptions(bufferSize, waterMark, idleTimeout, splice, on);
    }
}
