package dev.proxyline.server.accesslog;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * One open log file and its buffer. Opened by whoever registers it; after that only the writer
 * thread touches it.
 */
final class LogFile {
    /** Lines of unbuffered logs collect here during one batch, so a batch is one write. */
    private static final int UNBUFFERED_STAGING = 64 * 1024;

    private final Path path;
    private final int bufferSize;
    private final Optional<Duration> flush;
    private final long flushNanos;
    private final byte[] buffer;
    private final System.Logger logger;
    private FileChannel channel;
    private int used;
    private boolean armed; // a flush deadline is set; a flag, not a sentinel value, because nano times may wrap
    private long deadline;
    private boolean failing;
    private volatile long writeErrors; // written by the writer thread only, read by anyone

    LogFile(Path path, int bufferSize, Optional<Duration> flush, System.Logger logger) throws IOException {
        this.path = path;
        this.bufferSize = bufferSize;
        this.flush = flush;
        this.flushNanos = flush.map(Duration::toNanos).orElse(0L);
        this.buffer = new byte[bufferSize > 0 ? bufferSize : UNBUFFERED_STAGING];
        this.logger = logger;
        this.channel = open(path);
    }

    private static FileChannel open(Path path) throws IOException {
        // APPEND: several processes (an old and a new one during a reload) may write the same file.
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    Path path() {
        return path;
    }

    /** True if this file was registered with other buffer settings, which nginx refuses too. */
    boolean conflictsWith(int otherBufferSize, Optional<Duration> otherFlush) {
        return bufferSize != otherBufferSize || !flush.equals(otherFlush);
    }

    /** Adds one line (a byte string); writes first when it would not fit. */
    void append(CharSequence line, long nowNanos) {
        int length = line.length();
        if (length > buffer.length - used) {
            write();
        }
        if (length > buffer.length) {
            byte[] big = new byte[length];
            copy(line, big, 0);
            writeFully(ByteBuffer.wrap(big));
            return;
        }
        if (used == 0 && flushNanos > 0) {
            // nginx arms the flush timer when the buffer gets its first line.
            armed = true;
            deadline = nowNanos + flushNanos;
        }
        copy(line, buffer, used);
        used += length;
    }

    private static void copy(CharSequence line, byte[] target, int offset) {
        for (int i = 0, n = line.length(); i < n; i++) {
            target[offset + i] = (byte) line.charAt(i);
        }
    }

    /** The end of a batch: an unbuffered log writes what it collected. */
    void endOfBatch() {
        if (bufferSize == 0) {
            write();
        }
    }

    /** Writes the buffer if its flush time has come. */
    void flushIfDue(long nowNanos) {
        if (armed && nowNanos - deadline >= 0) {
            write();
        }
    }

    /** Nanoseconds until the buffer must be written (0 if overdue), or -1 if nothing waits for a flush time. */
    long nanosUntilFlush(long nowNanos) {
        return armed ? Math.max(0, deadline - nowNanos) : -1;
    }

    /** Writes whatever is buffered. */
    void write() {
        armed = false;
        if (used == 0) {
            return;
        }
        writeFully(ByteBuffer.wrap(buffer, 0, used));
        used = 0;
    }

    private void writeFully(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (failing) {
                failing = false;
                logger.log(Level.WARNING, "access log " + path + " is writable again");
            }
        } catch (IOException e) {
            writeErrors++;
            // One line per failing period: a full disk must not turn into a line per session.
            if (!failing) {
                failing = true;
                logger.log(Level.WARNING, "cannot write access log " + path + ": " + e + " (lines are lost until it works again)");
            }
        }
    }

    /** Writes the buffer and opens the path again, for log rotation. */
    void reopen() {
        write();
        try {
            FileChannel fresh = open(path);
            channel.close();
            channel = fresh;
        } catch (IOException e) {
            logger.log(Level.WARNING, "cannot reopen access log " + path + ": " + e + " (still writing the old file)");
        }
    }

    /** Writes the buffer and closes the file. */
    void close() {
        write();
        try {
            channel.close();
        } catch (IOException e) {
            logger.log(Level.WARNING, "cannot close access log " + path + ": " + e);
        }
    }

    long writeErrors() {
        return writeErrors;
    }
}
