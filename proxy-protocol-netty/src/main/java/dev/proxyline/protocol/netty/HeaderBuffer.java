package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Feeds the reads of one connection to the decoder, which wants every byte received so far. A
 * header that arrives whole in the first read is decoded in place, without a copy; otherwise the
 * reads are copied into a scratch array that never grows past the maximum header length.
 *
 * <p>Confined to the channel's event loop; holds no reference-counted buffer.
 */
final class HeaderBuffer {
    private static final int INITIAL_SCRATCH = 256;
    // Most connections get their header in the first read and never need a scratch array of their own.
    private static final byte[] NONE = new byte[0];

    private final ProxyHeaderDecoder decoder;
    private final int max;
    private byte[] scratch = NONE;
    private int length;
    private int lengthBeforeRead;

    HeaderBuffer(ProxyHeaderDecoder decoder) {
        this.decoder = decoder;
        this.max = decoder.maxHeaderLength();
    }

    /**
     * Decodes what has been received with {@code read} added; does not move {@code read}'s indexes.
     * After {@link DecodeResult.Complete}, {@link #headerBytesIn} says how much of {@code read}
     * belongs to the header.
     */
    DecodeResult offer(ByteBuf read) {
        lengthBeforeRead = length;
        int readable = read.readableBytes();
        if (length == 0 && (read.hasArray() || read.nioBufferCount() == 1)) {
            // Usual case: one contiguous buffer holds the start of the connection.
            int n = Math.min(readable, max);
            DecodeResult result = read.hasArray()
                    ? decoder.decode(read.array(), read.arrayOffset() + read.readerIndex(), n)
                    : decoder.decode(read.internalNioBuffer(read.readerIndex(), n));
            if (result instanceof DecodeResult.NeedMore) {
                append(read, n);
            }
            return checked(result);
        }
        // A later read, or a composite buffer: decode a bounded copy.
        append(read, Math.min(readable, max - length));
        return checked(decoder.decode(scratch, 0, length));
    }

    private DecodeResult checked(DecodeResult result) {
        if (result instanceof DecodeResult.NeedMore && length >= max) {
            // The decoder decides within the maximum length; holding more would break the bound.
            throw new IllegalStateException("decoder needs more than the maximum header length of " + max + " bytes");
        }
        return result;
    }

    /** How many bytes of the last read belong to the header that {@code complete} describes. */
    int headerBytesIn(DecodeResult.Complete complete) {
        return complete.length() - lengthBeforeRead;
    }

    /** How many bytes were received before the last read (all held here, since none decided). */
    int heldBeforeLastRead() {
        return lengthBeforeRead;
    }

    /** The bytes received before the last read, to be written to {@code out}. */
    void copyHeldBeforeLastRead(ByteBuf out) {
        out.writeBytes(scratch, 0, lengthBeforeRead);
    }

    /** How many bytes are held: all received so far while the decoder needs more. */
    int held() {
        return length;
    }

    /** Forgets everything; the scratch array goes to the garbage collector. */
    void clear() {
        scratch = NONE;
        length = 0;
        lengthBeforeRead = 0;
    }

    private void append(ByteBuf read, int n) {
        if (scratch.length < length + n) {
            int capacity = Math.min(max, Math.max(length + n, Math.max(INITIAL_SCRATCH, scratch.length * 2)));
            scratch = Arrays.copyOf(scratch, capacity);
        }
        read.getBytes(read.readerIndex(), scratch, length, n);
        length += n;
    }
}
