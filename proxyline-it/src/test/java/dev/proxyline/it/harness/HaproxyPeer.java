package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * HAProxy in the foreground ({@code -db}), one thread, logging to stdout (captured by
 * {@link PeerProcess}); no pidfile, stats socket or chroot, so it needs nothing under /run or /var.
 */
public final class HaproxyPeer implements AutoCloseable {
    private static final String GLOBAL_AND_DEFAULTS = """
            global
                nbthread 1
                log stdout format raw local0 info

            defaults
                log global
                timeout connect 2s
                timeout client 5s
                timeout server 5s

            """;

    private final PeerProcess process;

    private HaproxyPeer(PeerProcess process) {
        this.process = process;
    }

    /**
     * Starts HAProxy with {@code sections} (frontends, backends, listens) after a minimal global and
     * defaults section, and waits until it accepts on every address in {@code listening}.
     */
    public static HaproxyPeer start(Path directory, String sections, List<InetSocketAddress> listening) {
        Path haproxy = Interop.requireBinary("haproxy");
        String config = GLOBAL_AND_DEFAULTS + sections;
        Path configFile = directory.resolve("haproxy.cfg");
        PeerProcess.write(configFile, config);
        PeerProcess process = PeerProcess.start("haproxy", List.of(haproxy.toString(), "-db", "-f", configFile.toString()),
                directory);
        try {
            process.awaitAccepting(listening);
        } catch (AssertionError e) {
            process.close();
            throw new AssertionError(e.getMessage() + "\nhaproxy.cfg:\n" + config, e);
        }
        return new HaproxyPeer(process);
    }

    /** The first line of {@code haproxy -v}, such as {@code HAProxy version 2.6.12-1+deb12u4 …}. */
    public static String version() {
        return Commands.run(List.of(Interop.requireBinary("haproxy").toString(), "-v"), Duration.ofSeconds(5))
                .lines().findFirst().orElse("").strip();
    }

    /** Everything HAProxy logged (its log lines and its own warnings). */
    public String output() {
        return process.output();
    }

    /** The first output line that matches, waiting for it: HAProxy logs a connection when it ends. */
    public String awaitLine(Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = process.output();
            Optional<String> line = text.lines().filter(matches).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                return Assertions.fail("no matching HAProxy log line within " + timeout + ":\n" + text);
            }
            PeerProcess.sleep(Duration.ofMillis(20));
        }
    }

    /** The master process, for checks that stopping left nothing behind. */
    public ProcessHandle processHandle() {
        return process.handle();
    }

    @Override
    public void close() {
        process.close();
    }
}
