package dev.proxyline.server.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Blocking socket helpers for the test peers (client and upstream). */
final class Peers {
    private Peers() {}

    static void send(Socket s, long seed, long size) throws IOException {
        Pattern p = new Pattern(seed);
        byte[] buf = new byte[64 * 1024];
        OutputStream out = s.getOutputStream();
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            p.fill(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
    }

    /** Reads until EOF, checking every byte; returns the count. */
    static long receiveToEof(Socket s, long seed) throws IOException {
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
