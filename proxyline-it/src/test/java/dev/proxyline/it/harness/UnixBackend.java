package dev.proxyline.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a UNIX-domain stream socket, for tests of {@code unix:PATH} upstreams: serves each connection with a
 * handler on a thread of its own until closed; closing the backend closes every connection (which ends a handler's
 * blocked read) and deletes the socket file. The socket's path belongs to the test's temporary directory.
 */
public final class UnixBackend implements AutoCloseable {
    /** Serves one connection, number {@code serial} (1 for the first accepted); the connection is closed after it. */
    @FunctionalInterface
    public interface Handler {
        void serve(InputStream in, OutputStream out, int serial) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Handler handler;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    private UnixBackend(ServerSocketChannel server, Path path, Handler handler) {
        this.server = server;
        this.path = path;
        this.handler = handler;
    }

    /** Starts serving on {@code path}, which must not exist yet. */
    public static UnixBackend start(Path path, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        UnixBackend backend = new UnixBackend(server, path, handler);
        Thread accepting = new Thread(backend::accept, "unix-backend");
        accepting.setDaemon(true);
        accepting.start();
        return backend;
    }

    /**
     * Leaves a socket file at {@code path} that nothing listens on any more, as a crashed server leaves it: a connect
     * to it is refused (ECONNREFUSED), where a missing file is ENOENT.
     */
    public static void abandoned(Path path) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    /** How many connections it accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                int serial = accepted.incrementAndGet();
                open.add(connection);
                Thread serving = new Thread(() -> serve(connection, serial), "unix-backend-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel connection, int serial) {
        try (connection) {
            handler.serve(Channels.newInputStream(connection), Channels.newOutputStream(connection), serial);
        } catch (IOException ignored) {
            // The proxy went away, or the backend is closing: nothing more to serve.
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel connection : open) {
            connection.close();
        }
        Files.deleteIfExists(path);
    }
}
