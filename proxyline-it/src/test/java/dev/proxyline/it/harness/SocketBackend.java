package dev.proxyline.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A loopback backend for stream tests: serves each connection with a handler on a thread of its own, reads bounded by
 * a timeout, until closed.
 */
public final class SocketBackend implements AutoCloseable {
    /** Serves one connection; the socket is closed after it. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final Duration readTimeout;

    private SocketBackend(ServerSocket socket, Handler handler, Duration readTimeout) {
        this.socket = socket;
        this.handler = handler;
        this.readTimeout = readTimeout;
    }

    /** Starts serving on a free port of {@link Loopback#BACKEND}, reads waiting at most {@code readTimeout}. */
    public static SocketBackend start(Handler handler, Duration readTimeout) throws IOException {
        SocketBackend backend = new SocketBackend(new ServerSocket(0, 50, Loopback.BACKEND), handler, readTimeout);
        Thread accepting = new Thread(backend::accept, "stream-backend");
        accepting.setDaemon(true);
        accepting.start();
        return backend;
    }

    /** A handler that sends back the first line it reads. */
    public static void echoLine(Socket socket) throws IOException {
        String line = StreamSideBySide.firstLine(socket);
        if (!line.equals("closed")) {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread serving = new Thread(() -> serve(connection), "stream-backend-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout((int) readTimeout.toMillis());
            handler.serve(connection);
        } catch (IOException ignored) {
            // The client or the proxy went away: nothing more to serve.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
