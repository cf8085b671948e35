package dev.proxyline.server.stream.raw;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * The read buffer of the raw relays on one event loop. Every read is written on to the other socket
 * before the next read, and only what that socket does not take is copied out, so one direct buffer per
 * loop serves every session on it and an idle session holds none. Kept per thread because each event
 * loop is one thread and the relay's entry point gets only the loop.
 */
final class RawRelayScratch {

    private static final FastThreadLocal<ByteBuffer> BUFFER = new FastThreadLocal<>();

    private RawRelayScratch() {
    }

    /**
     * The calling loop's buffer, at least {@code size} bytes long. Grows to the largest size asked; a
     * replaced buffer is left to the garbage collector, which frees direct memory through its cleaner.
     */
    static ByteBuffer atLeast(int size) {
        ByteBuffer current = BUFFER.get();
        if (current == null || current.capacity() < size) {
            current = ByteBuffer.allocateDirect(size);
            BUFFER.set(current);
        }
        return current;
    }
}
