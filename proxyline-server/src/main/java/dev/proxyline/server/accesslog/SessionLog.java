package dev.proxyline.server.accesslog;

import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * The access logs of one stream server or http location: what the event loop calls when a session
 * or a request ends. Thread-safe and never blocking; see {@link AccessLogWriter}.
 */
public final class SessionLog {
    /** One format written to one file. */
    /** One target of the log: its format, its file, and its {@code if=}, if any. */
    record Binding(LineFormat format, LogFile file, Optional<Template> condition) {
    }

    private static final SessionLog OFF = new SessionLog(null, List.of());

    private final AccessLogWriter writer;
    private final List<Binding> bindings;

    SessionLog(AccessLogWriter writer, List<Binding> bindings) {
        this.writer = writer;
        this.bindings = List.copyOf(bindings);
    }

    /** A log that writes nothing ({@code access_log off}, or none configured). */
    public static SessionLog off() {
        return OFF;
    }

    /**
     * Hands the session to the writer thread, which formats and writes its lines. Never blocks: if
     * the queue is full the session is dropped and counted ({@link AccessLogWriter#dropped()}).
     *
     * @return false if the session was dropped
     */
    public boolean log(SessionSnapshot session) {
        Objects.requireNonNull(session, "session");
        return bindings.isEmpty() || writer.offer(this, session);
    }

    /** True when this log writes nothing. */
    public boolean isOff() {
        return bindings.isEmpty();
    }

    List<Binding> bindings() {
        return bindings;
    }
}
