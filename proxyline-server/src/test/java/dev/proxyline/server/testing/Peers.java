package dev.proxyline.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/** Blocking socket helpers for the test peers (client and upstream). */
public final class Peers {
    private Peers() {}

    /** Writes {@code size} bytes of stream {@code seed}. */
    public static void send(Socket s, long seed, long size) throws IOException {
        send(s, seed, size, new AtomicLong());
    }

    /** Writes {@code size} bytes of stream {@code seed}, adding to {@code written} after each chunk. */
    public static void send(Socket s, long seed, long size, AtomicLong written) throws IOException {
        Pattern p = new Pattern(seed);
        byte[] buf = new byte[64 * 1024];
        OutputStream out = s.getOutputStream();
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            p.fill(buf, 0, n);
            out.write(buf, 0, n);
            written.addAndGet(n);
            left -= n;
        }
        out.flush();
    }

    /** Reads exactly {@code size} bytes, checking every byte; fails on an early EOF. */
    public static void receiveExactly(Socket s, long seed, long size) throws IOException {
        Pattern p = new Pattern(seed);
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        while (p.position() < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - p.position()));
            if (n < 0) {
                throw new java.io.EOFException("EOF after " + p.position() + " of " + size + " bytes");
            }
            p.verify(buf, 0, n);
        }
    }

    /** Reads until EOF, checking every byte; returns the count. */
    public static long receiveToEof(Socket s, long seed) throws IOException {
        Pattern p = new Pattern(seed);
        byte[] buf = new byte[64 * 1024];
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
            p.verify(buf, 0, n);
        }
        return p.position();
    }
}
