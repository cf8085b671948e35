package dev.proxyline.bench.load;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which requests are the slow ones: {@code --connections} keep-alive connections, one thread each, sending
 * {@code GET /} and reading the whole answer in a loop for {@code --seconds}, every request's latency kept per
 * connection with its start time. wrk gives one p99 for all connections; this tells whether a tail belongs to some
 * connections (a session or a worker that lags) or to all of them at once (the whole chain stalls), by counting how
 * many connections were slow in the same {@link #WINDOW_NANOS} window. Prints one line per connection, then
 * {@code all requests=N p50=MS p99=MS} and {@code slow requests=S windows=W together=T}: S requests over
 * {@code --slow-ms}, starting in W distinct 10 ms windows, T of which held slow requests of at least half the
 * connections (and of two at least). {@code --slow-starts FILE} also writes when each slow request started
 * ({@link #slowStarts}), to lay over a scheduler trace.
 *
 * <p>Answers must carry Content-Length (the bench backends' do); chunked answers are not read. Loopback only.
 *
 * <pre>java -cp benchmarks.jar dev.proxyline.bench.load.KeepAliveProbe --connect 127.0.0.1:14181 --connections 32 --seconds 14</pre>
 */
public final class KeepAliveProbe {
    static final long WINDOW_NANOS = 10_000_000;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One connection's requests: latency and start of each, in the order sent. */
    record Connection(int localPort, long[] latencies, long[] starts) {
    }

    private KeepAliveProbe() {
    }

    public static void main(String[] args) throws Exception {
        LoadArgs options = LoadArgs.parse(args, List.of("connect", "connections", "seconds", "slow-ms", "slow-starts"));
        List<Connection> connections = run(options.address("connect"), options.integer("connections", 32),
                (long) (options.decimal("seconds", 10) * 1e9));
        long slowNanos = (long) (options.decimal("slow-ms", 4) * 1e6);
        report(connections, slowNanos).forEach(System.out::println);
        String slowStarts = options.text("slow-starts", null);
        if (slowStarts != null) {
            Files.write(Path.of(slowStarts), slowStarts(connections, slowNanos));
        }
    }

    /**
     * One line per slow request, {@code START_SECONDS LATENCY_MS}, in start order. The start is {@link System#nanoTime},
     * which on Linux is CLOCK_MONOTONIC: the clock of {@code perf record -k mono}, so the lines can be laid over a
     * {@code perf sched timehist} of the same seconds.
     */
    static List<String> slowStarts(List<Connection> connections, long slowNanos) {
        List<long[]> slow = new ArrayList<>();
        for (Connection connection : connections) {
            for (int r = 0; r < connection.latencies().length; r++) {
                if (connection.latencies()[r] > slowNanos) {
                    slow.add(new long[] {connection.starts()[r], connection.latencies()[r]});
                }
            }
        }
        slow.sort(Comparator.comparingLong(request -> request[0]));
        return slow.stream().map(request -> String.format(Locale.ROOT, "%.6f %.2f", request[0] / 1e9, request[1] / 1e6)).toList();
    }

    /** Opens every connection first, then loads them all together until the deadline. */
    static List<Connection> run(InetSocketAddress target, int count, long durationNanos) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(target);
            sockets.add(socket);
        }
        long deadline = System.nanoTime() + durationNanos;
        Connection[] results = new Connection[count];
        Thread[] threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            threads[i] = new Thread(() -> results[index] = load(sockets.get(index), deadline), "probe-" + i);
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return List.of(results);
    }

    private static Connection load(Socket socket, long deadline) {
        long[] latencies = new long[1 << 14];
        long[] starts = new long[latencies.length];
        int done = 0;
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
            OutputStream out = socket.getOutputStream();
            long start;
            while ((start = System.nanoTime()) < deadline) {
                out.write(REQUEST);
                readAnswer(in);
                if (done == latencies.length) {
                    latencies = Arrays.copyOf(latencies, done * 2);
                    starts = Arrays.copyOf(starts, done * 2);
                }
                starts[done] = start;
                latencies[done++] = System.nanoTime() - start;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("connection from port " + socket.getLocalPort(), e);
        }
        return new Connection(socket.getLocalPort(), Arrays.copyOf(latencies, done), Arrays.copyOf(starts, done));
    }

    /** Reads one answer's head and its Content-Length body. */
    private static void readAnswer(InputStream in) throws IOException {
        int length = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("closed inside an answer's head");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            if (in.read() < 0) {
                throw new EOFException("closed inside an answer's body");
            }
        }
    }

    /** The lines {@link #main} prints; latencies over {@code slowNanos} count as slow. */
    static List<String> report(List<Connection> connections, long slowNanos) {
        List<String> lines = new ArrayList<>();
        // Per 10 ms window holding a slow request: one bit per connection that had one there (at most 64 connections
        // are told apart; more share bits).
        Map<Long, Long> connectionsPerWindow = new HashMap<>();
        int slow = 0;
        long[] all = connections.stream().flatMapToLong(c -> Arrays.stream(c.latencies())).sorted().toArray();
        for (int i = 0; i < connections.size(); i++) {
            Connection connection = connections.get(i);
            long[] sorted = connection.latencies().clone();
            Arrays.sort(sorted);
            int slowHere = 0;
            for (int r = 0; r < connection.latencies().length; r++) {
                if (connection.latencies()[r] > slowNanos) {
                    slowHere++;
                    connectionsPerWindow.merge(connection.starts()[r] / WINDOW_NANOS, 1L << (i % 64), (a, b) -> a | b);
                }
            }
            slow += slowHere;
            lines.add(String.format(Locale.ROOT, "conn port=%d requests=%d p50=%s p99=%s slow=%d", connection.localPort(),
                    sorted.length, millis(sorted, 0.50), millis(sorted, 0.99), slowHere));
        }
        int told = Math.min(connections.size(), 64);
        int needed = Math.min(told, Math.max(2, (told + 1) / 2));
        long together = connectionsPerWindow.values().stream().filter(set -> Long.bitCount(set) >= needed).count();
        lines.add(String.format(Locale.ROOT, "all requests=%d p50=%s p99=%s", all.length, millis(all, 0.50), millis(all, 0.99)));
        lines.add(String.format(Locale.ROOT, "slow requests=%d windows=%d together=%d", slow, connectionsPerWindow.size(), together));
        return lines;
    }

    private static String millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fms", sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6);
    }
}
