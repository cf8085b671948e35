package dev.proxyline.server.accesslog;

import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Writes every access log of the process from one thread, so that no event loop ever waits for a
 * disk.
 *
 * <p><b>What the event loop does.</b> {@link SessionLog#log} puts the session's immutable snapshot on
 * a bounded queue: one small allocation and a short lock, no formatting, no I/O. The writer thread
 * formats the lines (variable values are fixed in the snapshot, so formatting later gives the same
 * text) and writes them.
 *
 * <p><b>When the queue is full</b> the session is dropped and {@link #dropped()} counts it; the event
 * loop is never blocked. A full queue means the disk cannot keep up, and stalling the relay would
 * turn a logging problem into an outage. Sessions logged after {@link #close()} are dropped too.
 *
 * <p><b>Batching.</b> The thread takes everything queued, appends each line to its file's buffer and
 * then writes: files without {@code buffer=} after every batch, files with a buffer when it is full,
 * when its {@code flush=} time has passed since its first line, and at shutdown. Files are opened in
 * append mode; the same path registered twice is one file, and must then have the same buffer settings
 * (nginx refuses conflicting ones too).
 *
 * <p><b>Time.</b> Flush deadlines use the injected monotonic nanosecond clock.
 */
public final class AccessLogWriter implements AutoCloseable {
    /**
     * The default queue capacity in sessions. A queued stream snapshot is typically a few hundred
     * bytes, at most about 5 KiB with a PROXY header full of TLVs; an http snapshot also holds the
     * request and response headers, typically 1-2 KiB. A full queue of typical sessions holds some
     * tens of MiB.
     */
    public static final int DEFAULT_CAPACITY = 16_384;
    private static final int MAX_BATCH = 4096;
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** A queued session and the logs it goes to; {@link #WAKE} only wakes the thread. */
    private record Pending(SessionLog log, SessionSnapshot session) {
    }

    private static final Pending WAKE = new Pending(SessionLog.off(), null);

    private final BlockingQueue<Pending> queue;
    private final LongSupplier nanoClock;
    private final System.Logger logger;
    private final Map<Path, LogFile> files = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final StringBuilder line = new StringBuilder(512); // writer thread only
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean reopenRequested;
    private boolean closed; // guarded by this

    AccessLogWriter(int capacity, LongSupplier nanoClock, System.Logger logger, ThreadFactory threads) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity " + capacity + " (expected 1 or more)");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.thread = threads == null ? null : threads.newThread(this::run);
    }

    /**
     * Starts a writer and its thread.
     *
     * @param capacity  the most sessions waiting to be written
     * @param nanoClock monotonic nanoseconds, such as {@code System::nanoTime}
     * @param threads   makes the one writer thread
     */
    public static AccessLogWriter start(int capacity, LongSupplier nanoClock, ThreadFactory threads) {
        Objects.requireNonNull(threads, "threads");
        AccessLogWriter writer = new AccessLogWriter(capacity, nanoClock,
                System.getLogger(AccessLogWriter.class.getPackageName()), threads);
        writer.thread.start();
        return writer;
    }

    /** A writer with {@link #DEFAULT_CAPACITY}, the system nano clock and a daemon thread. */
    public static AccessLogWriter start() {
        return start(DEFAULT_CAPACITY, System::nanoTime, runnable -> {
            Thread t = new Thread(runnable, "proxyline-access-log");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the targets' files (in append mode, creating them) and returns the log to call for each
     * session. Call at startup, off the event loops: opening a file is blocking I/O.
     *
     * @throws IOException              if a file cannot be opened, naming it
     * @throws IllegalArgumentException if a path is already open with other buffer settings
     */
    public SessionLog register(List<LogTarget> targets) throws IOException {
        if (targets.isEmpty()) {
            return SessionLog.off();
        }
        List<SessionLog.Binding> bindings = new ArrayList<>(targets.size());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("access log writer is closed");
            }
            for (LogTarget target : targets) {
                Path path = target.path().toAbsolutePath().normalize();
                LogFile file = files.get(path);
                if (file == null) {
                    try {
                        file = new LogFile(path, target.bufferSize(), target.flush(), logger);
                    } catch (IOException e) {
                        throw new IOException("cannot open access log " + path + ": " + e.getMessage(), e);
                    }
                    files.put(path, file);
                } else if (file.conflictsWith(target.bufferSize(), target.flush())) {
                    throw new IllegalArgumentException("access_log \"" + path
                            + "\" is already defined with other buffer= or flush= parameters");
                }
                bindings.add(new SessionLog.Binding(target.format(), file, target.condition()));
            }
        }
        return new SessionLog(this, bindings);
    }

    boolean offer(SessionLog log, SessionSnapshot session) {
        if (closing || !queue.offer(new Pending(log, session))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Sessions dropped because the queue was full or the writer closed. */
    public long dropped() {
        return dropped.sum();
    }

    /** Lines written (handed to the files' buffers). */
    public long written() {
        return written.sum();
    }

    /** Write failures across all files (each failure loses the lines of one write). */
    public long writeErrors() {
        long sum = 0;
        for (LogFile file : files.values()) {
            sum += file.writeErrors();
        }
        return sum;
    }

    /** Asks the writer to write its buffers and reopen every file, after rotation (nginx's {@code reopen}). */
    public void reopen() {
        reopenRequested = true;
        queue.offer(WAKE);
    }

    /**
     * Writes everything queued and buffered, closes the files and stops the thread, waiting for it
     * up to 10 s. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        if (thread == null) {
            do {
                runOnce();
            } while (!queue.isEmpty());
            closeFiles();
            return;
        }
        // A full queue means the thread is awake anyway; the offer only matters when it sleeps.
        queue.offer(WAKE);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                long wait = nanosUntilNextFlush(nanoClock.getAsLong());
                Pending first;
                try {
                    first = queue.poll(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // Interrupting a FileChannel write would close the file, so shutdown goes through close().
                    closing = true;
                    first = null;
                }
                process(first);
                if (closing && queue.isEmpty()) {
                    break;
                }
            }
        } finally {
            closeFiles();
        }
    }

    /** Takes everything queued now and writes what is due; what the thread does on each wake-up. */
    void runOnce() {
        process(queue.poll());
    }

    private void process(Pending first) {
        int taken = 0;
        for (Pending p = first; p != null; p = taken < MAX_BATCH ? queue.poll() : null) {
            taken++;
            write(p);
        }
        long now = nanoClock.getAsLong();
        for (LogFile file : files.values()) {
            file.endOfBatch();
            file.flushIfDue(now);
        }
        if (reopenRequested) {
            reopenRequested = false;
            files.values().forEach(LogFile::reopen);
        }
    }

    /** nginx's {@code if=}: the line is written unless the condition's value is empty or {@code 0}. */
    private boolean holds(Template condition, SessionSnapshot session) {
        condition.render(session, line);
        boolean holds = line.length() > 0 && !(line.length() == 1 && line.charAt(0) == '0');
        line.setLength(0);
        return holds;
    }

    private void write(Pending pending) {
        if (pending.session() == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (SessionLog.Binding binding : pending.log().bindings()) {
            line.setLength(0);
            try {
                if (binding.condition().isPresent() && !holds(binding.condition().get(), pending.session())) {
                    continue;
                }
                binding.format().format(pending.session(), line);
            } catch (RuntimeException e) {
                // A formatting bug must not kill the only writer thread.
                logger.log(System.Logger.Level.ERROR, "cannot format access log line for " + binding.file().path(), e);
                continue;
            }
            binding.file().append(line, now);
            written.increment();
        }
        if (line.capacity() > 64 * 1024) {
            line.setLength(0);
            line.trimToSize(); // one huge line must not pin a huge buffer forever
        }
    }

    private long nanosUntilNextFlush(long now) {
        long wait = IDLE_WAIT_NANOS;
        for (LogFile file : files.values()) {
            long until = file.nanosUntilFlush(now);
            if (until >= 0) {
                wait = Math.min(wait, until);
            }
        }
        return wait;
    }

    private void closeFiles() {
        files.values().forEach(LogFile::close);
    }
}
