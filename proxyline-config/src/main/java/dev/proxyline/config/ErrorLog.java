package dev.proxyline.config;

import java.util.Objects;

/** {@code error_log FILE [LEVEL]}, level {@code error} by default as in nginx. */
public record ErrorLog(String path, Level level) {
    public enum Level { DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, EMERG }

    public ErrorLog {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(level, "level");
    }
}
