package dev.proxyline.it.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Assertions;

/**
 * The app behind an ingress: a JDK {@link HttpServer} on {@link Loopback#BACKEND} that answers every
 * request {@code 200 "ok <path>\n"} and keeps what it saw (the request line, the headers, the socket
 * peer), so a test can check what the ingress told the app about the client.
 */
public final class HttpBackend implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private HttpBackend(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on an ephemeral port of {@link Loopback#BACKEND}. */
    public static HttpBackend start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(Loopback.BACKEND, 0), 16);
            ExecutorService executor = Executors.newFixedThreadPool(2);
            HttpBackend backend = new HttpBackend(server, executor);
            server.createContext("/", backend::answer);
            server.setExecutor(executor);
            server.start();
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the http backend", e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.BACKEND, server.getAddress().getPort());
    }

    /** The first request for {@code path} (the path without its query), waiting for it. */
    public Seen await(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Seen> match = seen.stream().filter(request -> request.path().equals(path)).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            if (System.nanoTime() > deadline) {
                return Assertions.fail("the backend got no request for " + path + " within " + timeout + "; it got "
                        + seen.stream().map(Seen::path).toList());
            }
            PeerProcess.sleep(Duration.ofMillis(20));
        }
    }

    /** Every request for {@code path} so far. */
    public List<Seen> all(String path) {
        return seen.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRemoteAddress(), headers);
            seen.add(request);
            byte[] body = ("ok " + request.path() + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One request as the app received it; header names in lower case, values in arrival order. */
    public record Seen(String method, String path, InetSocketAddress peer, Map<String, List<String>> headers) {
        public Seen {
            headers = Map.copyOf(headers);
        }

        /** The values of header {@code name} joined with {@code ", "}, as one header would carry them; empty if absent. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).map(values -> String.join(", ", values));
        }

        /** The last address of {@code X-Forwarded-For}: the one the last proxy appended. */
        public Optional<String> lastForwardedFor() {
            return header("X-Forwarded-For").map(value -> value.substring(value.lastIndexOf(',') + 1).strip());
        }
    }
}
