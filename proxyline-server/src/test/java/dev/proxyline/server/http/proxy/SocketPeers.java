package dev.proxyline.server.http.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Blocking-socket peers of the send-timeout tests: a one-connection backend and the slow readers both sides need. */
public final class SocketPeers {
    private SocketPeers() {
    }

    /** What one connection of a {@link Backend} does. */
    interface Serve {
        void serve(Socket socket) throws IOException, InterruptedException;
    }

    /** Serves the first connection to a loopback port on a thread of its own; its receive buffer as given. */
    static final class Backend implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        Backend(int receiveBuffer, Serve serve) throws IOException {
            server = new ServerSocket();
            if (receiveBuffer > 0) server.setReceiveBufferSize(receiveBuffer); // accepted sockets inherit it
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(20_000);
                    serve.serve(s);
                } catch (IOException | InterruptedException e) {
                    // the ingress cut the connection, or the test ended
                }
            }, "send-timeout-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /** A client socket to {@code address} whose receive buffer is {@code receiveBuffer} bytes from its first segment on. */
    static Socket client(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.setSoTimeout(5_000);
        s.connect(address, 5_000);
        return s;
    }

    /** Reads up to the blank line that ends a message head, byte by byte so that nothing after it is taken. */
    public static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("EOF in a message head after \"" + head + "\"");
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Takes {@code chunk} bytes every {@code periodMillis} for {@code forMillis}; returns how many it read. */
    public static long readSlowly(InputStream in, int chunk, long periodMillis, long forMillis)
            throws IOException, InterruptedException {
        byte[] buf = new byte[chunk];
        long read = 0;
        long end = System.nanoTime() + forMillis * 1_000_000;
        while (System.nanoTime() < end) {
            int n = in.read(buf);
            if (n < 0) return read;
            read += n;
            Thread.sleep(periodMillis);
        }
        return read;
    }

    /** Reads until EOF; returns how many bytes came. */
    public static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long read = 0;
        for (int n; (n = in.read(buf)) >= 0; ) read += n;
        return read;
    }

    /** Writes {@code n} zero bytes in blocks; stops quietly when the peer cuts the connection. */
    static void writeZeros(OutputStream out, long n) {
        byte[] block = new byte[1 << 16];
        try {
            for (long left = n; left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
            out.flush();
        } catch (IOException e) {
            // cut by the peer: what the test looks at is the answer
        }
    }
}
