package dev.proxyline.protocol.testing;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kinds of memory a receiver can hand the decoder, each with the bytes away from index 0 and
 * with junk after the limit, so that a decoder that reads absolute index 0, past the limit or in the
 * buffer's byte order gets caught.
 */
public enum BufferKind {
    /** {@link ProxyHeaderDecoder#decode(byte[], int, int)} on an array with junk on both sides. */
    ARRAY_RANGE(false, ByteOrder.BIG_ENDIAN),
    /** A heap buffer sliced out of a larger array (non-zero {@code arrayOffset}) and read from a non-zero position. */
    HEAP_SLICE(false, ByteOrder.BIG_ENDIAN),
    /** A direct buffer read from a non-zero position. */
    DIRECT(true, ByteOrder.BIG_ENDIAN),
    /** A direct buffer whose order is little-endian: the wire format must not care. */
    DIRECT_LITTLE_ENDIAN(true, ByteOrder.LITTLE_ENDIAN);

    private static final int BEFORE = 7;
    private static final int AFTER = 5;

    private final boolean direct;
    private final ByteOrder order;

    BufferKind(boolean direct, ByteOrder order) {
        this.direct = direct;
        this.order = order;
    }

    /** Room for {@code capacity} received bytes, the unreceived part filled with junk. */
    public Memory allocate(int capacity) {
        return new Memory(this, capacity);
    }

    /**
     * The receive buffer of one connection: bytes are appended as they arrive and the decoder sees
     * everything received so far, never the junk after it.
     */
    public static final class Memory {
        private final BufferKind kind;
        private final byte[] array;
        private final ByteBuffer buffer;
        private final int start;
        private int received;

        private Memory(BufferKind kind, int capacity) {
            this.kind = kind;
            int total = BEFORE + capacity + AFTER;
            if (kind == ARRAY_RANGE) {
                array = new byte[total];
                fillWithJunk(array);
                buffer = null;
                start = BEFORE;
            } else if (kind == HEAP_SLICE) {
                byte[] backing = new byte[total + 11];
                fillWithJunk(backing);
                array = null;
                // slice() of a buffer at position 11 has arrayOffset 11; reading starts at BEFORE within it.
                buffer = ByteBuffer.wrap(backing).position(11).slice().order(kind.order);
                start = BEFORE;
            } else {
                array = null;
                ByteBuffer direct = ByteBuffer.allocateDirect(total).order(kind.order);
                byte[] junk = new byte[total];
                fillWithJunk(junk);
                direct.put(0, junk);
                buffer = direct;
                start = BEFORE;
            }
        }

        /** Appends one read. */
        public void append(byte[] read) {
            if (array != null) {
                System.arraycopy(read, 0, array, start + received, read.length);
            } else {
                buffer.limit(buffer.capacity()).put(start + received, read);
            }
            received += read.length;
        }

        public int received() {
            return received;
        }

        /** Decodes everything received so far, and checks that the decoder left the buffer as it found it. */
        public DecodeResult decode(ProxyHeaderDecoder decoder) {
            if (array != null) {
                return decoder.decode(array, start, received);
            }
            buffer.limit(start + received).position(start);
            DecodeResult result = decoder.decode(buffer);
            if (buffer.position() != start || buffer.limit() != start + received || buffer.order() != kind.order) {
                throw new AssertionError("the decoder moved the buffer's position, limit or order");
            }
            return result;
        }
    }

    /** CR LF and signature-like bytes, the ones most likely to fool a decoder that reads too far. */
    private static void fillWithJunk(byte[] bytes) {
        byte[] junk = {'\r', '\n', 0x0D, 0x0A, 0x00, 'P', ' ', '5'};
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = junk[i % junk.length];
        }
    }
}
