package dev.proxyline.server.variables;

import java.util.List;
import java.util.Objects;

/**
 * One connection attempt to an upstream server, as the {@code $upstream_*} variables show it.
 *
 * @param address         the peer as {@code $upstream_addr} shows it ({@code 10.0.0.1:80}), or the
 *                        group name when no live server was left
 * @param connectMillis   how long the connection took to establish, or {@link #NONE} when it failed
 *                        or never started ({@code $upstream_connect_time} then shows {@code -})
 * @param firstByteMillis time from the start of the attempt to the first byte from the upstream, or
 *                        {@link #NONE} ({@code $upstream_first_byte_time})
 * @param sessionMillis   duration of the upstream connection, or {@link #NONE} while it lasts
 *                        ({@code $upstream_session_time})
 * @param bytesSent       bytes sent to the upstream ({@code $upstream_bytes_sent})
 * @param bytesReceived   bytes received from the upstream ({@code $upstream_bytes_received})
 */
public record UpstreamAttempt(String address, long connectMillis, long firstByteMillis, long sessionMillis,
                              long bytesSent, long bytesReceived) {
    /** A time that is not known: shown as {@code -}, as nginx does. */
    public static final long NONE = -1;

    /**
     * Stands between the attempts of two exchanges of one request (an {@code error_page}'s request proxied again), as
     * nginx's empty state does: the {@code $upstream_*} lists show {@code " : "} in its place. Told apart by identity.
     */
    public static final UpstreamAttempt LATER_EXCHANGE = new UpstreamAttempt("", NONE, NONE, NONE, 0, 0);

    public UpstreamAttempt {
        Objects.requireNonNull(address, "address");
        if (connectMillis < NONE || firstByteMillis < NONE || sessionMillis < NONE) {
            throw new IllegalArgumentException("times must be 0 or more, or -1 for none: " + connectMillis + ", "
                    + firstByteMillis + ", " + sessionMillis);
        }
        if (bytesSent < 0 || bytesReceived < 0) {
            throw new IllegalArgumentException("byte counts must not be negative: " + bytesSent + ", " + bytesReceived);
        }
    }

    /** An attempt that connected after {@code connectMillis}, with no traffic yet. */
    public static UpstreamAttempt connected(String address, long connectMillis) {
        return new UpstreamAttempt(address, Math.max(0, connectMillis), NONE, NONE, 0, 0);
    }

    /** An attempt that failed before the connection was established. */
    public static UpstreamAttempt failed(String address) {
        return new UpstreamAttempt(address, NONE, NONE, NONE, 0, 0);
    }

    /**
     * Begins entry {@code i} of a {@code $upstream_*} list: the separator before it, {@code ", "} within an exchange
     * and {@code " : "} for {@link #LATER_EXCHANGE}; false when the entry is that boundary, which shows no value.
     */
    public static boolean separate(List<UpstreamAttempt> attempts, int i, StringBuilder out) {
        if (attempts.get(i) == LATER_EXCHANGE) {
            out.append(" : ");
            return false;
        }
        if (i > 0 && attempts.get(i - 1) != LATER_EXCHANGE) out.append(", ");
        return true;
    }

    /** This attempt with its traffic and times once it ended. */
    public UpstreamAttempt finished(long firstByte, long session, long sent, long received) {
        return new UpstreamAttempt(address, connectMillis, firstByte < 0 ? NONE : firstByte, Math.max(0, session),
                sent, received);
    }
}
