package dev.proxyline.server.stream;

import java.util.Objects;

/**
 * Fails an {@link UpstreamConnector} future with a chosen {@code $status}, for example 503 when every
 * server of the group is down or a connection limit is reached.
 */
public final class SessionRejectedException extends Exception {

    private final SessionStatus status;

    /**
     * @param status the status the session should end with; not {@link SessionStatus#OK}
     * @param message what happened, for the error log
     */
    public SessionRejectedException(SessionStatus status, String message) {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        if (status == SessionStatus.OK) {
            throw new IllegalArgumentException("a rejected session cannot have status 200");
        }
    }

    /** The status the session ends with. */
    public SessionStatus status() {
        return status;
    }
}
