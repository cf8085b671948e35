package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw-descriptor stream listen that runs out of file descriptors: {@code accept} fails with EMFILE, the listen
 * says so once and stops accepting for a second instead of spinning on the error, and serves again once
 * descriptors are free. The packaged tool runs in its own JVM under {@code ulimit -n}, so the exhaustion cannot
 * touch the test's own process.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AcceptPauseJarIT {
    /** Low enough that a few hundred waiting clients exhaust it, high enough for the JVM to start. */
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int CLIENTS = DESCRIPTOR_LIMIT + 40;

    private final String javaHome = System.getProperty("java.home");
    private Path jar;

    @TempDir
    Path dir;

    @BeforeEach
    void onlyAfterPackageOnLinux() {
        jar = PackagedJar.onLinuxAfterPackage();
    }

    @Test
    void aListenOutOfDescriptorsPausesAcceptingThenServesAgain() throws Exception {
        int listen = freePort();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            backend.setSoTimeout(10_000);
            Path config = dir.resolve("pause.conf");
            // Clients that send no PROXY header each hold one descriptor until the (long) header deadline, so the
            // descriptors run out at accept, not at an upstream connect.
            Files.writeString(config, """
                    error_log pause.log info;
                    stream {
                        server {
                            listen 127.0.0.1:%d proxy_protocol;
                            proxy_protocol_timeout 60s;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(listen, backend.getLocalPort()));
            Path log = dir.resolve("pause.log");
            Process proxyline = new ProcessBuilder("bash", "-c", "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$0\" "
                    + "-Xmx64m -jar \"$1\" run -c \"$2\" --transport epoll --drain-timeout 1s",
                    javaHome + "/bin/java", jar.toString(), config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            List<Socket> waiting = new ArrayList<>();
            try {
                PackagedJar.awaitLine(log, "listening on");
                assertThat(Files.readString(log)).contains("stream sessions on raw descriptors");

                for (int i = 0; i < CLIENTS; i++) {
                    // The kernel completes these handshakes whether proxyline accepts them or not (backlog 511).
                    waiting.add(new Socket(InetAddress.getLoopbackAddress(), listen));
                }
                PackagedJar.awaitLine(log, "not accepting for 1000 ms");
                assertThat(Files.readString(log)).containsPattern("\\[error] \\d+#\\d+: listener 127\\.0\\.0\\.1:"
                        + listen + ": .*(Too many open files|EMFILE).*; not accepting for 1000 ms");
                assertThat(proxyline.isAlive()).isTrue();

                closeAll(waiting);
                // Once the closed clients' sessions are gone, a real one is relayed: accepting resumed.
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write("PROXY TCP4 198.51.100.7 127.0.0.1 40000 80\r\nhi"
                            .getBytes(StandardCharsets.US_ASCII));
                    try (Socket upstream = backend.accept()) {
                        upstream.setSoTimeout(10_000);
                        assertThat(upstream.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII)
                                .isEqualTo("hi");
                        upstream.getOutputStream().write('y');
                        assertThat(client.getInputStream().read()).isEqualTo('y');
                    }
                }
                assertThat(proxyline.isAlive()).isTrue();
            } finally {
                closeAll(waiting);
                proxyline.destroy();
                assertThat(proxyline.waitFor(20, TimeUnit.SECONDS)).as("proxyline stopped on SIGTERM").isTrue();
            }
            // SIGTERM drains: the process exits 0 after the pause, not through an error.
            assertThat(proxyline.exitValue()).as(Files.readString(dir.resolve("stdout.txt"))).isZero();
            assertThat(Files.readString(log)).doesNotContain("Exception");
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a client socket the test no longer needs; nothing to recover
            }
        }
        sockets.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
