package dev.proxyline.config;

import java.util.Objects;

/** One configuration problem; {@link #toString()} is {@code file:line:column: message}, like {@code nginx -t}. */
public record ConfigError(String file, int line, int column, String message) {
    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public static ConfigError at(Position position, String message) {
        return new ConfigError(position.file(), position.line(), position.column(), message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
