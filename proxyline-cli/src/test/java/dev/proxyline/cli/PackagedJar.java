package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** For the tests that run the packaged tool in a JVM of its own (the runnable-jar execution after package). */
final class PackagedJar {
    private PackagedJar() {}

    /** The shaded jar; the tests skip themselves before package, and off Linux (they read /proc). */
    static Path onLinuxAfterPackage() {
        Assumptions.assumeTrue(System.getProperty("proxyline.jar") != null,
                "runs in the runnable-jar execution after package (proxyline.jar is set there)");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "epoll and /proc: Linux only");
        return Path.of(System.getProperty("proxyline.jar"));
    }

    /** Waits up to 30 s for {@code log} to contain {@code text}. */
    static void awaitLine(Path log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!contains(log, text)) {
            assertThat(System.nanoTime() < deadline).as("waited 30 s for \"" + text + "\" in " + log).isTrue();
            Thread.sleep(50);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (IOException notYet) {
            return false;
        }
    }
}
