package dev.proxyline.it.harness;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assertions;

/**
 * The log lines of an in-process proxyline, every level included: {@code System.Logger} goes to
 * java.util.logging by default, so a handler on the package's logger sees them (rate-limited
 * refusals that fell to DEBUG too).
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String loggerName) {
        // Held in a field: java.util.logging keeps loggers only weakly, and would drop the handler with it.
        this.logger = Logger.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code loggerName} and the loggers below it log. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** The lines captured so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The first line that matches, waiting for it. */
    public String awaitLine(Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = lines.stream().filter(matches).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                return Assertions.fail("no matching log line within " + timeout + ":\n" + String.join("\n", lines));
            }
            PeerProcess.sleep(Duration.ofMillis(20));
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
