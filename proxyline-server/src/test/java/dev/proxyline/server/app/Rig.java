package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A {@link ProxylineServer} started in-process from configuration text written to a temp file. */
final class Rig implements AutoCloseable {
    /** The address clients bind to where the source matters. */
    static final String CLIENT_IP = "127.0.0.7";

    final ProxylineServer server;
    final Path dir;

    private Rig(ProxylineServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Writes {@code config} to {@code dir/proxyline.conf}, loads it as {@code proxyline run} does, starts it. */
    static Rig start(Path dir, String config) throws Exception {
        return start(dir, config, Transport.best());
    }

    /** As {@link #start(Path, String)}, on {@code transport}. */
    static Rig start(Path dir, String config, Transport transport) throws Exception {
        Path file = dir.resolve("proxyline.conf");
        Files.writeString(file, config);
        LoadResult result = ConfigLoader.load(file);
        assertThat(result.errors()).as("configuration errors").isEmpty();
        RunOptions options = RunOptions.defaults().withPrefix(dir).withDrainTimeout(Duration.ofSeconds(5))
                .withTransport(transport);
        return new Rig(ProxylineServer.start(((LoadResult.Loaded) result).config(), options), dir);
    }

    /** A free loopback port (bound and released; the test binds it again at once). */
    static int freePort() throws IOException {
        return Backend.closedPort();
    }

    /** A client connected to {@code port} from {@link #CLIENT_IP}, reads bounded by 5 s. */
    static Socket client(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(InetAddress.getByName(CLIENT_IP), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        return s;
    }

    /** Reads everything until EOF on another thread, so that writes cannot deadlock against it. */
    static CompletableFuture<byte[]> readAllAsync(Socket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = s.getInputStream();
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Waits up to 5 s for {@code file} to hold at least one line, and returns its text. */
    static String awaitLog(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                if (text.endsWith("\n")) {
                    return text;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line in " + file + " within 5 s");
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
