package dev.proxyline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** nginx's {@code pid FILE}: the process id, written once serving starts and removed on stop. */
final class PidFile implements AutoCloseable {
    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /** Writes {@code pid} and a newline to {@code path}, replacing what was there (a stale file). */
    static PidFile write(Path path, long pid) throws IOException {
        Files.writeString(path, pid + "\n", StandardCharsets.US_ASCII);
        return new PidFile(path);
    }

    /** Removes the file; one that is already gone is not an error. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
