package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer (nginx, HAProxy) running as a child process in the foreground, its stdout and
 * stderr captured in one file. Stopped by PID: SIGTERM first so it can close its sockets, then
 * SIGKILL for it and every descendant (nginx workers) if it does not exit in time.
 */
public final class PeerProcess implements AutoCloseable {
    /** How long a peer may take to start accepting; they need well under a second on loopback. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path output;

    private PeerProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code command} in {@code directory}, output captured in {@code directory/name.out}. */
    public static PeerProcess start(String name, List<String> command, Path directory) {
        Path output = directory.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return new PeerProcess(name, builder.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Waits until every address accepts a TCP connection; fails with the peer's output if it exits
     * first (a config error, a port taken) or does not listen within {@link #START_TIMEOUT}.
     */
    public PeerProcess awaitAccepting(List<InetSocketAddress> addresses) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (InetSocketAddress address : addresses) {
            while (!Loopback.accepts(address, Duration.ofMillis(200))) {
                if (!process.isAlive()) {
                    Assertions.fail(name + " exited with status " + process.exitValue() + " before listening on "
                            + Loopback.hostPort(address) + "; its output:\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    Assertions.fail(name + " did not listen on " + Loopback.hostPort(address) + " within "
                            + START_TIMEOUT + "; its output:\n" + output());
                }
                sleep(Duration.ofMillis(20));
            }
        }
        return this;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the peer wrote to stdout and stderr so far. */
    public String output() {
        return read(output);
    }

    @Override
    public void close() {
        // Collected before the master exits: afterwards its workers are re-parented and out of reach.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
