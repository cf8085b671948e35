package dev.proxyline.server.runtime.dns;

/**
 * A name that could not be looked up, said as nginx's error log says it: {@code NAME could not be resolved (3: Host
 * not found)}, or {@code (110: Operation timed out)}. Only the message matters, so no stack trace is made.
 */
public final class LookupFailure extends Exception {
    /** Whether the servers did not answer in time, rather than answering that the name has no address. */
    private final boolean timedOut;

    public LookupFailure(String host, boolean timedOut) {
        super(host + " could not be resolved " + (timedOut ? "(110: Operation timed out)" : "(3: Host not found)"),
                null, false, false);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
