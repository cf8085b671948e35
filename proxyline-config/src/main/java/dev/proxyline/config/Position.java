package dev.proxyline.config;

import java.util.Objects;

/** Where a token starts: file name as shown to the user, 1-based line and column. */
public record Position(String file, int line, int column) {
    public Position {
        Objects.requireNonNull(file, "file");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based");
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
