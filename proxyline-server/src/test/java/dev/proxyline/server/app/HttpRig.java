package dev.proxyline.server.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The ingress tests' proxyline: started from configuration text on a free loopback front port, with HTTP clients of
 * that front from {@link Rig#CLIENT_IP}. The backends stay with the test, since each test wants its own kind.
 */
final class HttpRig implements AutoCloseable {
    private final Rig proxyline;
    /** The port the clients connect to. */
    final int front;

    private HttpRig(Rig proxyline, int front) {
        this.proxyline = proxyline;
        this.front = front;
    }

    /** Picks a free front port, and starts proxyline from {@code config} applied to it. */
    static HttpRig start(Path dir, IntFunction<String> config) throws Exception {
        int front = Rig.freePort();
        return new HttpRig(Rig.start(dir, config.apply(front)), front);
    }

    /** Every request passed straight to {@code backend}, as {@code proxy_pass http://127.0.0.1:port}. */
    static IntFunction<String> proxyingTo(int backend) {
        return front -> """
                http {
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://127.0.0.1:%d; }
                    }
                }
                """.formatted(front, backend);
    }

    /** Every request to an upstream block of the one server {@code backend}, with {@code upstreamDirectives}. */
    static IntFunction<String> proxyingThroughUpstream(int backend, String upstreamDirectives) {
        return front -> """
                http {
                    upstream app { server 127.0.0.1:%d; %s }
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(backend, upstreamDirectives, front);
    }

    /** A new client connected to the front from {@link Rig#CLIENT_IP}, reads bounded by 5 s. */
    HttpExchangeClient client() throws IOException {
        return new HttpExchangeClient(Rig.client(front));
    }

    /** The running server, for tests that stop it themselves. */
    ProxylineServer server() {
        return proxyline.server;
    }

    /** Waits up to 5 s for {@code count} lines in the log file {@code name} under the prefix, and returns them. */
    List<String> awaitLogLines(String name, int count) throws Exception {
        return Rig.awaitLogLines(proxyline.dir.resolve(name), count);
    }

    @Override
    public void close() {
        proxyline.close();
    }
}
