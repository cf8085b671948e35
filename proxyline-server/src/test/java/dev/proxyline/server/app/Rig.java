package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** A {@link ProxylineServer} started in-process from configuration text written to a temp file. */
final class Rig implements AutoCloseable {
    /** The address clients bind to where the source matters. */
    static final String CLIENT_IP = "127.0.0.7";

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    final ProxylineServer server;
    final Path dir;

    private Rig(ProxylineServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Where stream sessions run. */
    enum StreamPath {
        /** On raw descriptors: the epoll transport's default. */
        RAW(Transport::epoll, false),
        /** On Netty channels, forced on the epoll transport. */
        EPOLL_CHANNELS(Transport::epoll, true),
        /** On Netty channels of the NIO transport. */
        NIO(Transport::nio, false);

        private final Supplier<Transport> transport;
        private final boolean channels;

        StreamPath(Supplier<Transport> transport, boolean channels) {
            this.transport = transport;
            this.channels = channels;
        }

        /** The paths this machine runs: RAW and EPOLL_CHANNELS where epoll loads, NIO everywhere. */
        static List<StreamPath> available() {
            return Transport.epollAvailable() ? List.of(RAW, EPOLL_CHANNELS, NIO) : List.of(NIO);
        }

        /** The two ways the best transport runs stream sessions: raw descriptors and channels on epoll, else NIO. */
        static List<StreamPath> onBestTransport() {
            return Transport.epollAvailable() ? List.of(RAW, EPOLL_CHANNELS) : List.of(NIO);
        }

        RunOptions options() {
            return RunOptions.defaults().withTransport(transport.get()).withStreamChannels(channels);
        }
    }

    /** Writes {@code config} to {@code dir/proxyline.conf}, loads it as {@code proxyline run} does, starts it. */
    static Rig start(Path dir, String config) throws Exception {
        return start(dir, config, RunOptions.defaults());
    }

    /** As {@link #start(Path, String)}, with stream sessions on {@code path}. */
    static Rig start(Path dir, String config, StreamPath path) throws Exception {
        return start(dir, config, path.options());
    }

    private static Rig start(Path dir, String config, RunOptions base) throws Exception {
        Path file = dir.resolve("proxyline.conf");
        Files.writeString(file, config);
        LoadResult result = ConfigLoader.load(file);
        assertThat(result.errors()).as("configuration errors").isEmpty();
        RunOptions options = base.withPrefix(dir).withDrainTimeout(Duration.ofSeconds(5));
        return new Rig(ProxylineServer.start(((LoadResult.Loaded) result).config(), options), dir);
    }

    /**
     * A port to listen on, on a specific address or the wildcard ({@code listen PORT}, {@code [::]:PORT}): free on
     * every address of both families, never one handed out before in this JVM (a chain's two listens must differ), and
     * below the kernel's ephemeral range (32768 and up by default), so that no connection another test makes
     * meanwhile can take it as its local port, which would make the bind fail (it did, for a port the kernel had
     * handed out as free: "bind() to 127.0.0.1:42471 failed").
     */
    static int freePort() throws IOException {
        RandomGenerator random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 100; tries++) {
            int port = 20000 + random.nextInt(12000);
            if (!HANDED_OUT.contains(port) && bindsEverywhere(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port in 100 tries");
    }

    /** One wildcard socket at a time: the JDK's {@code [::]} is dual-stack, so the two would conflict. */
    private static boolean bindsEverywhere(int port) {
        for (String wildcard : List.of("0.0.0.0", "::")) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(wildcard))) {
                probe.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
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
    /** Waits up to 5 s for {@code count} lines in the log {@code file}, and returns them. */
    static List<String> awaitLogLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(file) ? Files.readString(file).lines().toList() : List.of();
            if (lines.size() >= count) {
                return lines;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + count + " lines in " + file + ", got " + lines);
    }

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
