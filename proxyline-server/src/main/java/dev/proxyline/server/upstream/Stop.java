package dev.proxyline.server.upstream;

import java.util.Objects;

/**
 * The end of an attempt sequence without success.
 *
 * @param reason  the category, for counters and the status code the caller answers with
 * @param message what happened, in the style of nginx's error log
 */
public record Stop(StopReason reason, String message) implements Selection, Verdict {
    /** Rejects nulls. */
    public Stop {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
