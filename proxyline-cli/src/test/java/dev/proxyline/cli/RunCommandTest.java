package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code proxyline run -c FILE}, in-process, with the stop signal replaced by a handle the test holds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void aBrokenConfigurationIsReportedWithFileLineAndColumnAndExitsOne() throws IOException {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, """
                stream {
                    server {
                        listen 80;
                        proxy_pass nowhere;
                        frobnicate on;
                    }
                }
                """);

        CliRun run = CliRun.run("", "run", "-c", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(file + ":5:9: ", "frobnicate").contains(file + ":4:", "nowhere");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anAddressThatCannotBeBoundExitsOneNamingIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("busy.conf");
            Files.writeString(file, """
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:9;
                        }
                    }
                    """.formatted(busy.getLocalPort()));

            CliRun run = CliRun.run("", "run", "-c", file.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains(file + ":3:", "127.0.0.1:" + busy.getLocalPort());
        }
    }

    @Test
    void itServesUntilStoppedThenExitsZeroAfterPrintingOneLine() throws Exception {
        int listen = freePort();
        try (ServerSocket backend = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("proxyline.conf");
            Files.writeString(file, """
                    stream {
                        log_format short '$remote_addr $status $bytes_received';
                        server {
                            listen 127.0.0.1:%d;
                            access_log run.log short;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(listen, backend.getLocalPort()));
            AtomicReference<Runnable> stop = new AtomicReference<>();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.create(
                    new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), stop::set)
                    .execute("run", "-c", file.toString(), "--drain-timeout", "2s"));
            awaitStarted(out, exit);

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listen);
                 Socket upstream = acceptWithin(backend)) {
                client.setSoTimeout(5000);
                client.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                upstream.getOutputStream().write("yo".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().readNBytes(2)).asString(StandardCharsets.US_ASCII).isEqualTo("yo");
            }
            stop.get().run();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).hasLineCount(1).contains("127.0.0.1:" + listen);
            // A relative access log path is taken from the configuration's directory; stopping flushes it.
            assertThat(Files.readString(dir.resolve("run.log"))).isEqualTo("127.0.0.1 200 2\n");
        }
    }

    @Test
    void pidFileErrorLogAndWorkerConnectionsFollowTheConfiguration() throws Exception {
        int listen = freePort();
        try (ServerSocket backend = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("limits.conf");
            Files.writeString(file, """
                    pid run.pid;
                    error_log error.log;
                    events { worker_connections 1; }
                    stream {
                        server {
                            listen 127.0.0.1:%d;
                            proxy_pass 127.0.0.1:%d;
                        }
                    }
                    """.formatted(listen, backend.getLocalPort()));
            AtomicReference<Runnable> stop = new AtomicReference<>();
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.create(
                    new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(new StringWriter()),
                    stop::set).execute("run", "-c", file.toString(), "--drain-timeout", "2s"));
            awaitStarted(out, exit);
            assertThat(Files.readString(dir.resolve("run.pid"))).isEqualTo(ProcessHandle.current().pid() + "\n");

            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), listen);
                 Socket upstream = acceptWithin(backend);
                 Socket second = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                // The one worker's one slot is taken by the first session: the second is closed unanswered.
                second.setSoTimeout(5000);
                assertThat(readOrReset(second)).isEqualTo(-1);
                first.setSoTimeout(5000);
                upstream.getOutputStream().write('y');
                assertThat(first.getInputStream().read()).isEqualTo('y');
            }
            stop.get().run();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(dir.resolve("run.pid")).doesNotExist();
            String log = Files.readString(dir.resolve("error.log"));
            // nginx's default level, error: the alert is in, the startup line (info) is not.
            assertThat(log).containsPattern("(?m)^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[error\\] \\d+#\\d+: 1 worker_connections")
                    .doesNotContain("stream listening on")
                    .contains("1 worker_connections are not enough; closed the connection from /127.0.0.1:");
        }
    }

    @Test
    void theHttpBlocksErrorLogTakesTheLinesOfRequestHandlingAtItsLevel() throws Exception {
        int listen = freePort();
        Path file = dir.resolve("httplog.conf");
        Files.writeString(file, """
                error_log main.log info;
                http {
                    error_log http.log info;
                    server { listen 127.0.0.1:%d; location / { return 200; } }
                }
                """.formatted(listen));
        AtomicReference<Runnable> stop = new AtomicReference<>();
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.create(
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(new StringWriter()),
                stop::set).execute("run", "-c", file.toString(), "--drain-timeout", "2s"));
        awaitStarted(out, exit);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listen)) {
            client.setSoTimeout(5000);
            // A second Host: nginx's "client sent duplicate host header", logged at info.
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(new String(client.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 400");
        }
        stop.get().run();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(Files.readString(dir.resolve("http.log")))
                .containsPattern("(?m)^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[info\\] \\d+#\\d+: client sent duplicate "
                        + "host header");
        assertThat(Files.readString(dir.resolve("main.log"))).contains("listening on 127.0.0.1:" + listen)
                .doesNotContain("duplicate host header");
    }

    @ParameterizedTest
    @CsvSource({"'', epoll", "--transport=nio, nio"})
    void useEpollPicksTheEpollTransportUnlessTheCommandLineSaysOtherwise(String option, String transport)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.proxyline.server.transport.Transport.epollAvailable(),
                "epoll is not available here");
        int listen = freePort();
        Path file = dir.resolve("use.conf");
        Files.writeString(file, """
                events { use epoll; multi_accept on; }
                error_log use.log info;
                stream { server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:9; } }
                """.formatted(listen));
        AtomicReference<Runnable> stop = new AtomicReference<>();
        CompletableFuture<Integer> exit = runStarted(stop, "run", "-c", file.toString(), "--drain-timeout", "1s", option);
        stop.get().run();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(Files.readString(dir.resolve("use.log"))).contains("(" + transport + " transport, ");
    }

    @ParameterizedTest
    @CsvSource({"'', 300", "--drain-timeout=1s, 1000"})
    void aStopDrainsForWorkerShutdownTimeoutUnlessTheCommandLineSaysOtherwise(String option, long drainMillis)
            throws Exception {
        int listen = freePort();
        try (ServerSocket backend = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("drain.conf");
            Files.writeString(file, """
                    worker_shutdown_timeout 300ms;
                    error_log drain.log info;
                    stream { server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:%d; } }
                    """.formatted(listen, backend.getLocalPort()));
            AtomicReference<Runnable> stop = new AtomicReference<>();
            CompletableFuture<Integer> exit = runStarted(stop, "run", "-c", file.toString(), option);

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listen);
                 Socket upstream = acceptWithin(backend)) {
                // The session stays open through the stop: the drain deadline closes it.
                stop.get().run();
                client.setSoTimeout(5000);
                assertThat(readOrReset(client)).isEqualTo(-1);
            }

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(Files.readString(dir.resolve("drain.log"))).contains("waiting up to " + drainMillis + " ms");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theStreamChannelsPropertyPutsEpollStreamSessionsOnChannels(boolean channels) throws Exception {
        int listen = freePort();
        try (ServerSocket backend = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("paths.conf");
            Files.writeString(file, """
                    error_log paths.log info;
                    stream { server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:%d; } }
                    """.formatted(listen, backend.getLocalPort()));
            AtomicReference<Runnable> stop = new AtomicReference<>();
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> exit;
            System.setProperty(RunCommand.STREAM_CHANNELS_PROPERTY, Boolean.toString(channels));
            try {
                exit = CompletableFuture.supplyAsync(() -> Cli.create(new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(out), new PrintWriter(new StringWriter()), stop::set)
                        .execute("run", "-c", file.toString(), "--transport", "epoll", "--drain-timeout", "1s"));
                awaitStarted(out, exit);
            } finally {
                System.clearProperty(RunCommand.STREAM_CHANNELS_PROPERTY);
            }
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listen);
                 Socket upstream = acceptWithin(backend)) {
                client.setSoTimeout(5000);
                upstream.getOutputStream().write('y');
                assertThat(client.getInputStream().read()).isEqualTo('y');
            }
            stop.get().run();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            String startLine = Files.readAllLines(dir.resolve("paths.log")).stream()
                    .filter(line -> line.contains(" listening on ")).findFirst().orElseThrow();
            assertThat(startLine).contains("(epoll transport, ");
            if (channels) {
                assertThat(startLine).doesNotContain("raw descriptors");
            } else {
                assertThat(startLine).contains("stream sessions on raw descriptors");
            }
        }
    }

    /** The first byte read, or -1 for an end of stream or a reset (both mean the proxy closed it). */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /** Runs the command line (empty arguments left out) until it has started; {@code stop} then stops it. */
    private static CompletableFuture<Integer> runStarted(AtomicReference<Runnable> stop, String... args)
            throws InterruptedException {
        String[] given = java.util.Arrays.stream(args).filter(a -> !a.isEmpty()).toArray(String[]::new);
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.create(
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(new StringWriter()),
                stop::set).execute(given));
        awaitStarted(out, exit);
        return exit;
    }

    private static void awaitStarted(StringWriter out, CompletableFuture<Integer> exit) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !out.toString().contains("listening") && !exit.isDone()) {
            Thread.sleep(20);
        }
        assertThat(exit).as("run returned early: " + out).isNotDone();
        assertThat(out.toString()).contains("listening");
    }

    private static Socket acceptWithin(ServerSocket server) throws IOException {
        server.setSoTimeout(5000);
        return server.accept();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
