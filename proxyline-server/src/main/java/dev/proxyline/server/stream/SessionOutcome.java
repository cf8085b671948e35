package dev.proxyline.server.stream;

import dev.proxyline.server.transport.RootCause;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one stream session did: the values behind nginx's stream log variables.
 *
 * @param client the client's address as the socket saw it ({@code $remote_addr} before PROXY rewriting)
 * @param upstream the upstream that was connected ({@code $upstream_addr}); empty if none was
 * @param connectTime time from asking the connector until the upstream was connected, retries
 *     included ({@code $upstream_connect_time}); empty if none was connected
 * @param bytesReceived bytes read from the client ({@code $bytes_received})
 * @param bytesSent bytes written to the client ({@code $bytes_sent}): what its socket accepted, not what
 *     was queued for it when it closed
 * @param upstreamBytesSent bytes written to the upstream ({@code $upstream_bytes_sent}); a PROXY
 *     header written by the {@link UpstreamPreface} is not counted
 * @param upstreamBytesReceived bytes read from the upstream ({@code $upstream_bytes_received})
 * @param start when the session was handed to the proxy
 * @param duration from start until both connections were closed ({@code $session_time})
 * @param status {@code $status}
 * @param end why the session ended
 * @param error the first failure, as "side: exception: message", for the error log; empty if none
 * @param spliced whether the relay moved on to zero-copy splice(2) during the session
 */
public record SessionOutcome(
        SocketAddress client,
        Optional<SocketAddress> upstream,
        Optional<Duration> connectTime,
        long bytesReceived,
        long bytesSent,
        long upstreamBytesSent,
        long upstreamBytesReceived,
        Instant start,
        Duration duration,
        SessionStatus status,
        SessionEnd end,
        Optional<String> error,
        boolean spliced) {

    /** Validates the values. */
    public SessionOutcome {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(connectTime, "connectTime");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(error, "error");
        if (bytesReceived < 0 || bytesSent < 0 || upstreamBytesSent < 0 || upstreamBytesReceived < 0) {
            throw new IllegalArgumentException("byte counts must not be negative");
        }
    }

    /**
     * An {@link #error()} text: "side: exception: message", from the innermost cause, which names the socket
     * error (ECONNRESET, EPIPE); wrappers only add noise.
     *
     * @param side where it happened: "client side", "upstream side", "session"
     */
    public static String describeFailure(String side, Throwable cause) {
        Throwable root = RootCause.of(cause);
        return side + ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
