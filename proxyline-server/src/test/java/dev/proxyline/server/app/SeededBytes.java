package dev.proxyline.server.app;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reproducible byte stream per seed (xorshift), so that a receiver can check every byte of a
 * large transfer against the sender without either keeping it in memory.
 */
final class SeededBytes {
    private long state;
    private long position;

    SeededBytes(long seed) {
        this.state = seed * 0x9E3779B97F4A7C15L | 1;
    }

    private byte next() {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        position++;
        return (byte) state;
    }

    /** Writes {@code size} bytes of stream {@code seed}, adding to {@code progress} after each chunk. */
    static void send(Socket s, long seed, long size, AtomicLong progress) throws IOException {
        SeededBytes bytes = new SeededBytes(seed);
        byte[] buf = new byte[64 * 1024];
        OutputStream out = s.getOutputStream();
        for (long left = size; left > 0; ) {
            int n = (int) Math.min(buf.length, left);
            for (int i = 0; i < n; i++) {
                buf[i] = bytes.next();
            }
            out.write(buf, 0, n);
            left -= n;
            progress.addAndGet(n);
        }
    }

    /** Reads to EOF, checking each byte against stream {@code seed}; returns how many arrived. */
    static long receiveToEof(Socket s, long seed) throws IOException {
        SeededBytes bytes = new SeededBytes(seed);
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                long at = bytes.position;
                if (buf[i] != bytes.next()) {
                    throw new EOFException("stream " + seed + " differs at byte " + at);
                }
            }
        }
        return bytes.position;
    }
}
