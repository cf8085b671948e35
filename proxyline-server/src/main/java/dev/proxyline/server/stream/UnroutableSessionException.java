package dev.proxyline.server.stream;

import java.util.Objects;

/**
 * A session's upstream could not be chosen (a {@code proxy_pass} with variables that expanded to nothing usable):
 * the session ends with {@link #status()} before any connect, as nginx's stream proxy finalizes it.
 */
public final class UnroutableSessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SessionStatus status;

    /**
     * @param status  500 for a value that is no address or a name not looked up (nginx 1.22 ends both so), 502 where
     *                nothing can be connected to
     * @param message nginx's words, for the error log
     */
    public UnroutableSessionException(SessionStatus status, String message) {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The status the session ends with. */
    public SessionStatus status() {
        return status;
    }
}
