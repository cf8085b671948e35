package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proxy_socket_keepalive}: SO_KEEPALIVE on the upstream sockets, seen in the kernel's own tables of TCP
 * sockets ({@code /proc/net/tcp}, and {@code tcp6} for NIO's dual-stack sockets), where an established socket with a
 * keepalive timer pending shows timer 2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketKeepaliveTest {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    @TempDir
    Path dir;

    @BeforeAll
    static void linuxOnly() {
        Assumptions.assumeTrue(Files.isReadable(TCP), "reads /proc/net/tcp");
    }

    static List<Arguments> pathsOnAndOff() {
        List<Arguments> all = new ArrayList<>();
        for (Rig.StreamPath path : Rig.StreamPath.available()) {
            all.add(Arguments.of(path, true));
            all.add(Arguments.of(path, false));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}, proxy_socket_keepalive {1}")
    @MethodSource("pathsOnAndOff")
    void aStreamUpstreamSocketHasKeepaliveExactlyWhenAsked(Rig.StreamPath path, boolean on) throws Exception {
        try (Backend backend = Backend.echo()) {
            int port = Rig.freePort();
            try (Rig rig = Rig.start(dir, """
                    stream {
                        proxy_socket_keepalive %s;
                        server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:%d; }
                    }
                    """.formatted(on ? "on" : "off", port, backend.port()), path);
                 Socket client = Rig.client(port)) {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).isEqualTo('x'); // the upstream connection is up

                assertThat(keepaliveTimersTowards(backend.port())).containsExactly(on);
            }
        }
    }

    @ParameterizedTest(name = "proxy_socket_keepalive {0}")
    @ValueSource(booleans = {true, false})
    void anHttpUpstreamSocketHasKeepaliveExactlyWhenAsked(boolean on) throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    upstream app { server 127.0.0.1:%d; keepalive 2; }
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_socket_keepalive %s; proxy_pass http://app; }
                    }
                }
                """.formatted(backend.port(), port, on ? "on" : "off"));
             HttpExchangeClient c = rig.client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("got 0 bytes for /");

            // The upstream connection now idles in the pool.
            assertThat(keepaliveTimersTowards(backend.port())).containsExactly(on);
        }
    }

    /** For each established socket connected to 127.0.0.1:{@code port}: whether its keepalive timer is pending. */
    private static List<Boolean> keepaliveTimersTowards(int port) throws IOException {
        // 127.0.0.1 as the kernel prints it, alone (tcp) or as the end of its v4-mapped IPv6 form (tcp6).
        String remote = String.format(Locale.ROOT, "0100007F:%04X", port);
        List<Boolean> timers = new ArrayList<>();
        List<String> lines = new ArrayList<>(Files.readAllLines(TCP, StandardCharsets.US_ASCII));
        if (Files.isReadable(TCP6)) {
            lines.addAll(Files.readAllLines(TCP6, StandardCharsets.US_ASCII));
        }
        for (String line : lines) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[2].endsWith(remote) && f[3].equals("01")) {
                timers.add(f[5].startsWith("02:"));
            }
        }
        return timers;
    }
}
