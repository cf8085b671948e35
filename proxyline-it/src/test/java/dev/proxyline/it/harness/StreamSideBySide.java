package dev.proxyline.it.harness;

import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The stream counterpart of {@link SideBySide}: the same {@code stream} block, word for word, served by nginx and by
 * proxyline (on each of its session paths, {@link #paths()}), and the same steps run against each. A run gets its own
 * directory, where relative {@code access_log} files land, and its own listen addresses, on nginx's or proxyline's
 * loopback address; the steps return a transcript, which the test compares across the peers.
 */
public final class StreamSideBySide {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String PROXYLINE_LOGGERS = "dev.proxyline";

    /** What the steps of one run see of their peer. */
    public static final class Peer {
        private final List<InetSocketAddress> listens;
        private final Path directory;

        private Peer(List<InetSocketAddress> listens, Path directory) {
            this.listens = listens;
            this.directory = directory;
        }

        /** The address of the configuration's listen number {@code index} (0 for {@code %1$s}). */
        public InetSocketAddress listen(int index) {
            return listens.get(index);
        }

        /** The run's directory: nginx's prefix, proxyline's. */
        public Path directory() {
            return directory;
        }

        /**
         * The first {@code count} lines of the access log {@code NAME.log}, waiting for them, without the sessions of
         * the probe that saw nginx's listens accept.
         */
        public List<String> logged(String name, int count) throws InterruptedException {
            Path file = directory.resolve(name + ".log");
            String probe = Loopback.PROBE.getHostAddress() + " ";
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> lines = List.of();
            while (System.nanoTime() < deadline) {
                lines = Files.exists(file) ? PeerProcess.read(file).lines().filter(line -> !line.startsWith(probe))
                        .toList() : List.of();
                if (lines.size() >= count) {
                    return lines.subList(0, count);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("expected " + count + " lines in " + file + ", got " + lines);
        }

        /** Line {@code count} of {@code NAME.log}, waiting for it, named: {@code "NAME: LINE"}. */
        public String line(String name, int count) throws InterruptedException {
            return name + ": " + logged(name, count).get(count - 1);
        }
    }

    /** A test's steps against one peer. */
    @FunctionalInterface
    public interface Steps {
        List<String> run(Peer peer) throws Exception;
    }

    /** What a run's steps returned, and the error log lines of its peer (nginx's file, proxyline's loggers). */
    public record Transcript(List<String> steps, List<String> errors) {
        /** Whether an error log line contains {@code text}. */
        public boolean logged(String text) {
            return errors.stream().anyMatch(line -> line.contains(text));
        }
    }

    private StreamSideBySide() {}

    /**
     * Runs {@code steps} against nginx serving {@code stream}, the {@code stream { }} block for the given listen
     * addresses. The steps start once nginx accepts on the first one: it binds all its listens before it accepts on
     * any, and a probe's session on the others could change what the steps see (a round-robin turn, a server marked
     * failed).
     */
    public static Transcript nginx(Path directory, int listens, Function<List<InetSocketAddress>, String> stream,
                                   Steps steps) throws Exception {
        Path dir = Files.createDirectories(Files.createTempDirectory(directory, "nginx"));
        List<InetSocketAddress> addresses = listens(Loopback.NGINX, listens);
        try (NginxPeer nginx = NginxPeer.start(dir, stream.apply(addresses), addresses.subList(0, 1))) {
            List<String> seen = steps.run(new Peer(addresses, dir));
            return new Transcript(seen, nginx.errorLog().lines().toList());
        }
    }

    /** As {@link #nginx}, against proxyline on the session path {@code path} makes ({@link #paths()}). */
    public static Transcript proxyline(Path directory, int listens, Function<List<InetSocketAddress>, String> stream,
                                       UnaryOperator<RunOptions> path, Steps steps) throws Exception {
        Path dir = Files.createDirectories(Files.createTempDirectory(directory, "proxyline"));
        List<InetSocketAddress> addresses = listens(Loopback.PROXYLINE, listens);
        try (LogCapture log = LogCapture.of(PROXYLINE_LOGGERS);
             Proxyline proxyline = Proxyline.start(dir, stream.apply(addresses), path)) {
            List<String> seen = steps.run(new Peer(addresses, dir));
            return new Transcript(seen, log.lines());
        }
    }

    /**
     * proxyline's stream session paths: the default (raw descriptors on epoll, where servers with TLS run on
     * channels), channels forced on epoll, and NIO.
     */
    public static List<UnaryOperator<RunOptions>> paths() {
        List<UnaryOperator<RunOptions>> paths = new ArrayList<>();
        paths.add(UnaryOperator.identity());
        if (Transport.epollAvailable()) {
            paths.add(options -> options.withStreamChannels(true));
        }
        paths.add(options -> options.withTransport(Transport.nio()));
        return paths;
    }

    /**
     * Sends {@code bytes} from {@link Loopback#CLIENT} (then FIN, if asked) and returns the first line back, or
     * "closed" when none came.
     */
    public static String plain(InetSocketAddress target, byte[] bytes, boolean fin) {
        try (Socket socket = Loopback.connectFromClient(target, WAIT)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(bytes);
            if (fin) {
                socket.shutdownOutput();
            }
            return firstLine(socket);
        } catch (IOException e) {
            return "closed";
        }
    }

    /** The first line {@code socket} reads, or "closed" when it ends first. */
    public static String firstLine(Socket socket) throws IOException {
        String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        return line == null ? "closed" : line;
    }

    /** {@code count} distinct free ports on {@code address}. */
    public static List<InetSocketAddress> listens(InetAddress address, int count) {
        List<InetSocketAddress> listens = new ArrayList<>();
        while (listens.size() < count) {
            InetSocketAddress listen = Loopback.freePort(address);
            if (!listens.contains(listen)) listens.add(listen);
        }
        return listens;
    }
}
