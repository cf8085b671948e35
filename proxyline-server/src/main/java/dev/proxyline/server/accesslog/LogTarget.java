package dev.proxyline.server.accesslog;

import dev.proxyline.server.variables.Template;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code access_log PATH FORMAT [buffer=SIZE] [flush=TIME] [if=CONDITION]}, compiled.
 *
 * @param path       the file, opened for appending
 * @param format     the compiled {@code log_format}
 * @param bufferSize bytes to collect before writing; 0 writes what the writer thread has after each
 *                   batch it takes from the queue (nginx writes each line; the result on disk is the same)
 * @param flush      with a buffer, the longest time a line may wait in it
 * @param condition  {@code if=}: a session for which it renders empty or {@code 0} writes no line
 */
public record LogTarget(Path path, LineFormat format, int bufferSize, Optional<Duration> flush,
                        Optional<Template> condition) {
    public LogTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(flush, "flush");
        Objects.requireNonNull(condition, "condition");
        if (bufferSize < 0) {
            throw new IllegalArgumentException("buffer size " + bufferSize + " (expected 0 or more)");
        }
        if (flush.isPresent() && (flush.get().isNegative() || flush.get().isZero())) {
            throw new IllegalArgumentException("flush time " + flush.get() + " (expected a positive time)");
        }
        if (flush.isPresent() && bufferSize == 0) {
            throw new IllegalArgumentException("flush= needs buffer= (nothing is held otherwise): " + path);
        }
    }

    /** A target that logs every session (no {@code if=}). */
    public LogTarget(Path path, LineFormat format, int bufferSize, Optional<Duration> flush) {
        this(path, format, bufferSize, flush, Optional.empty());
    }
}
