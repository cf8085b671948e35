package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@code access_log PATH [FORMAT] [buffer=SIZE] [flush=TIME] [if=CONDITION]} or {@code access_log off}. */
public sealed interface AccessLog {
    record Off() implements AccessLog {}

    /**
     * {@code bufferSize} 0 means write each line directly; {@code path} may contain variables or be
     * {@code syslog:...}; {@code condition} is the text of {@code if=}, with variables: a session whose value of it
     * is empty or {@code 0} writes no line.
     */
    record ToFile(String path, String format, long bufferSize, Optional<Duration> flush, Optional<String> condition)
            implements AccessLog {
        public ToFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(flush, "flush");
            Objects.requireNonNull(condition, "condition");
            if (bufferSize < 0) throw new IllegalArgumentException("bufferSize");
        }

        /** A log without {@code if=}. */
        public ToFile(String path, String format, long bufferSize, Optional<Duration> flush) {
            this(path, format, bufferSize, flush, Optional.empty());
        }
    }
}
