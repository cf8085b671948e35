package dev.proxyline.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Log files a peer writes after it has answered: read once they hold what a test waits for. */
public final class LogFiles {
    private LogFiles() {
    }

    /**
     * The text of {@code log} once it has {@code count} lines, or what it has after {@code wait} (the test's comparison
     * then shows what is missing).
     */
    public static String awaitLines(Path log, int count, Duration wait) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(log) ? Files.readString(log) : "";
            if (text.lines().count() >= count) return text;
            Thread.sleep(50);
        }
        return text;
    }
}
