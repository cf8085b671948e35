package dev.proxyline.server.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-socket HTTP/1.1 backend on 127.0.0.1 that answers every request with one status and the body
 * {@code status N}, keeping connections open, or that reads requests and never answers
 * ({@link #silent()}), or that answers with a line that is not HTTP ({@link #garbage()}). It reads a {@code Content-Length} body before answering. Requests are counted
 * by method and line, so a test can prove which server a request reached, or that it never did.
 */
final class StatusBackend implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final int status;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private StatusBackend(int status) throws IOException {
        this.status = status;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "status-backend-" + status);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with {@code status}. */
    static StatusBackend answering(int status) throws IOException {
        return new StatusBackend(status);
    }

    /** Answers every request with bytes that are not an HTTP response. */
    static StatusBackend garbage() throws IOException {
        return new StatusBackend(-1);
    }

    /** Reads requests and never answers. */
    static StatusBackend silent() throws IOException {
        return new StatusBackend(0);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "status-backend-conn");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // close() ends the acceptor
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) return;
                requestLines.add(head.substring(0, head.indexOf("\r\n")));
                requests.incrementAndGet();
                long length = contentLength(head);
                if (in.readNBytes((int) length).length < length) return;
                if (status == 0) continue; // silent: wait for the next request or the close
                if (status < 0) {
                    out.write("SPDY/9 what\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                byte[] body = ("status " + status).getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 " + status + " Status\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException ignored) {
            // the ingress closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
