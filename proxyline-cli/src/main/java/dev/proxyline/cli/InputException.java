package dev.proxyline.cli;

import java.util.Objects;

/** One input line cannot be processed; carries the {@link Failure} to print for it. */
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    InputException(String reason, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace to fill
        this.failure = new Failure(reason, message);
    }

    Failure failure() {
        return Objects.requireNonNull(failure);
    }
}
