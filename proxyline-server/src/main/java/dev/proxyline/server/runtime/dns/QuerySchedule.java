package dev.proxyline.server.runtime.dns;

import java.time.Duration;

/**
 * When and to which server one name's queries go, as nginx's resolver sends them: a new lookup starts at the server
 * after the one the previous lookup started at (round robin over the {@code resolver} addresses), a query still
 * unanswered after {@link #RESEND} is sent again to the next server, and the lookup gives up
 * {@code resolver_timeout} after it started. Pure: the caller's clock drives it.
 */
final class QuerySchedule {
    /** nginx's fixed resend interval ({@code resend_timeout}, not configurable in nginx 1.22). */
    static final Duration RESEND = Duration.ofSeconds(5);

    private final int servers;
    private final long deadlineNanos;
    private int server;
    private long resendNanos;

    /**
     * @param servers  how many servers there are
     * @param first    the server the first queries go to
     * @param nowNanos when the lookup starts
     * @param timeout  {@code resolver_timeout}
     */
    QuerySchedule(int servers, int first, long nowNanos, Duration timeout) {
        if (servers < 1 || first < 0 || first >= servers) throw new IllegalArgumentException("server " + first);
        this.servers = servers;
        this.server = first;
        this.deadlineNanos = nowNanos + timeout.toNanos();
        this.resendNanos = nowNanos + RESEND.toNanos();
    }

    /** The server queries go to now. */
    int server() {
        return server;
    }

    /** Whether the lookup has run out of time at {@code nowNanos}. */
    boolean expired(long nowNanos) {
        return deadlineNanos - nowNanos <= 0;
    }

    /** Whether unanswered queries are due again at {@code nowNanos}; if so, they now go to the next server. */
    boolean resendDue(long nowNanos) {
        if (resendNanos - nowNanos > 0) return false;
        server = (server + 1) % servers;
        resendNanos = nowNanos + RESEND.toNanos();
        return true;
    }

    /** How long until the next resend or the deadline, whichever comes first. */
    long nanosToNextEvent(long nowNanos) {
        return Math.max(0, Math.min(resendNanos, deadlineNanos) - nowNanos);
    }
}
