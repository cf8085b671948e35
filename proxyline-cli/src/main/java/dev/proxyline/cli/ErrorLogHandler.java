package dev.proxyline.cli;

import dev.proxyline.config.ErrorLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * nginx's {@code error_log FILE [LEVEL]} for the process: proxyline's own log lines (and Netty's,
 * which log through the same JDK logging) go to {@code FILE}, or to standard error for
 * {@code stderr}, from {@code LEVEL} up, one line each as nginx writes them:
 * {@code 2026/11/26 03:12:59 [warn] 4242#17: message}. Installing it replaces the root logger's
 * handlers; {@link #close()} puts them back. The http block's {@code error_log} is one on the loggers of http request
 * handling ({@link #installOn}), whose lines then go there only, as nginx's http lines go to the http log.
 */
final class ErrorLogHandler extends Handler implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final OutputStream out;
    private final boolean ownsStream;
    private final long pid = ProcessHandle.current().pid();
    private final ZoneId zone = ZoneId.systemDefault();
    private final Logger root = LogManager.getLogManager().getLogger("");
    private final List<Handler> previousHandlers = List.of(root.getHandlers());
    private final Level previousLevel = root.getLevel();
    /** The loggers this handler was put on instead of the root's handlers, with what they had before; held strongly. */
    private final List<Attached> attached = new java.util.ArrayList<>();

    private record Attached(Logger logger, boolean useParentHandlers, Level level) {}

    private ErrorLogHandler(OutputStream out, boolean ownsStream, Level threshold) {
        this.out = out;
        this.ownsStream = ownsStream;
        setLevel(threshold);
    }

    /**
     * Sends the process's log to {@code config}'s destination; a relative path is taken from
     * {@code prefix}, as nginx takes it from its prefix.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    static ErrorLogHandler install(ErrorLog config, Path prefix) throws IOException {
        ErrorLogHandler handler;
        Level threshold = threshold(config.level());
        if (config.path().equals("stderr")) {
            handler = new ErrorLogHandler(System.err, false, threshold);
        } else {
            OutputStream file = Files.newOutputStream(prefix.resolve(config.path()), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            handler = new ErrorLogHandler(file, true, threshold);
        }
        for (Handler h : handler.previousHandlers) {
            handler.root.removeHandler(h);
        }
        handler.root.addHandler(handler);
        handler.root.setLevel(threshold);
        return handler;
    }

    /**
     * Sends the lines of the loggers named {@code loggers} (and their children) to {@code config}'s destination
     * instead of the process's log; a relative path is taken from {@code prefix}.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    static ErrorLogHandler installOn(ErrorLog config, Path prefix, List<String> loggers) throws IOException {
        Level threshold = threshold(config.level());
        ErrorLogHandler handler = config.path().equals("stderr") ? new ErrorLogHandler(System.err, false, threshold)
                : new ErrorLogHandler(Files.newOutputStream(prefix.resolve(config.path()), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, threshold);
        for (String name : loggers) {
            Logger logger = Logger.getLogger(name);
            handler.attached.add(new Attached(logger, logger.getUseParentHandlers(), logger.getLevel()));
            logger.setUseParentHandlers(false);
            logger.setLevel(threshold);
            logger.addHandler(handler);
        }
        return handler;
    }

    /** The JDK level from which an nginx level lets lines through. */
    static Level threshold(ErrorLog.Level level) {
        return switch (level) {
            case DEBUG -> Level.ALL;
            case INFO, NOTICE -> Level.INFO;
            case WARN -> Level.WARNING;
            case ERROR, CRIT, ALERT, EMERG -> Level.SEVERE;
        };
    }

    /** The nginx name of a JDK level, as it appears in brackets on each line. */
    static String label(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        return "debug";
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        StringBuilder line = new StringBuilder(160)
                .append(TIME.format(Instant.ofEpochMilli(record.getMillis()).atZone(zone)))
                .append(" [").append(label(record.getLevel())).append("] ")
                .append(pid).append('#').append(record.getLongThreadID()).append(": ")
                .append(message(record)).append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        try {
            // Flushed per line: an error log that lags behind the event it explains misleads.
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            reportError("cannot write the error log", e, java.util.logging.ErrorManager.WRITE_FAILURE);
        }
    }

    private String message(LogRecord record) {
        String text = record.getMessage();
        if (text == null) {
            return "";
        }
        Object[] params = record.getParameters();
        // System.Logger passes preformatted text; only JUL callers with {0} parameters need formatting.
        return params == null || params.length == 0 ? text : java.text.MessageFormat.format(text, params);
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            reportError("cannot flush the error log", e, java.util.logging.ErrorManager.FLUSH_FAILURE);
        }
    }

    /** Puts the previous handlers and level back and closes the file. */
    @Override
    public synchronized void close() {
        if (attached.isEmpty()) {
            root.removeHandler(this);
            for (Handler h : previousHandlers) {
                root.addHandler(h);
            }
            root.setLevel(previousLevel);
        }
        for (Attached a : attached) {
            a.logger().removeHandler(this);
            a.logger().setUseParentHandlers(a.useParentHandlers());
            a.logger().setLevel(a.level());
        }
        if (ownsStream) {
            try {
                out.close();
            } catch (IOException e) {
                reportError("cannot close the error log", e, java.util.logging.ErrorManager.CLOSE_FAILURE);
            }
        } else {
            flush();
        }
    }
}
