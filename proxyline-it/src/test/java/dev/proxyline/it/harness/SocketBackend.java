package dev.proxyline.it.harness;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

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

    /** A PROXY header a backend read, and the bytes that came behind it so far. */
    public record Proxied(DecodeResult.Complete header, byte[] rest) {}

    /**
     * Reads a PROXY header (v1 or v2) and what follows it until {@code enough} accepts the bytes behind it. Empty when
     * the connection ended first, or did not start with a header (the peer is then told "no PROXY header").
     */
    public static Optional<Proxied> readProxied(Socket socket, Predicate<byte[]> enough) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
        byte[] chunk = new byte[4096];
        DecodeResult.Complete header = null;
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                return Optional.empty();
            }
            received.write(chunk, 0, n);
            byte[] all = received.toByteArray();
            if (header == null) {
                DecodeResult result = decoder.decode(all);
                if (result instanceof DecodeResult.Invalid) {
                    socket.getOutputStream().write("no PROXY header\n".getBytes(StandardCharsets.US_ASCII));
                    return Optional.empty();
                }
                if (!(result instanceof DecodeResult.Complete complete)) {
                    continue;
                }
                header = complete;
            }
            byte[] rest = Arrays.copyOfRange(all, header.length(), all.length);
            if (enough.test(rest)) {
                return Optional.of(new Proxied(header, rest));
            }
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
