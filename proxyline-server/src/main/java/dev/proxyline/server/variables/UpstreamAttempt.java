package dev.proxyline.server.variables;

import java.util.Objects;

/**
 * One connection attempt to an upstream server, as the upstream variables show it.
 *
 * @param address       the peer as {@code $upstream_addr} shows it ({@code 10.0.0.1:80}), or the group
 *                      name when no live server was left
 * @param connectMillis how long the connection took to establish, or {@link #NOT_CONNECTED} when it
 *                      failed or never started ({@code $upstream_connect_time} then shows {@code -})
 */
public record UpstreamAttempt(String address, long connectMillis) {
    /** The connect time of an attempt that did not connect. */
    public static final long NOT_CONNECTED = -1;

    public UpstreamAttempt {
        Objects.requireNonNull(address, "address");
        if (connectMillis < NOT_CONNECTED) {
            throw new IllegalArgumentException("connect time " + connectMillis + " ms (expected 0 or more, or -1)");
        }
    }

    /** An attempt that connected after {@code connectMillis}. */
    public static UpstreamAttempt connected(String address, long connectMillis) {
        return new UpstreamAttempt(address, Math.max(0, connectMillis));
    }

    /** An attempt that failed before the connection was established. */
    public static UpstreamAttempt failed(String address) {
        return new UpstreamAttempt(address, NOT_CONNECTED);
    }
}
