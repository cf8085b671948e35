package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@code access_log PATH [FORMAT] [buffer=SIZE] [flush=TIME]} or {@code access_log off}. */
public sealed interface AccessLog {
    record Off() implements AccessLog {}

    /** {@code bufferSize} 0 means write each line directly; {@code path} may contain variables or be {@code syslog:...}. */
    record ToFile(String path, String format, long bufferSize, Optional<Duration> flush) implements AccessLog {
        public ToFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(flush, "flush");
            if (bufferSize < 0) throw new IllegalArgumentException("bufferSize");
        }
    }
}
