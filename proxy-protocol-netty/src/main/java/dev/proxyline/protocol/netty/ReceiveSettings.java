package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.time.Duration;
import java.util.Objects;

/**
 * How a PROXY listener receives headers.
 *
 * @param trust           which policy applies to which sources
 * @param deadline        how long a connection may take to deliver its header; the specification
 *                        asks for at least 3 s
 * @param maxHeaderLength the longest header accepted, fixed part included (107-65551 bytes)
 */
public record ReceiveSettings(TrustPolicy trust, Duration deadline, int maxHeaderLength) {
    /** The default deadline. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    public ReceiveSettings {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("header deadline must be positive: " + deadline);
        }
        if (maxHeaderLength < ProxyHeaderDecoder.V1_MAX_LENGTH || maxHeaderLength > ProxyHeaderDecoder.V2_MAX_LENGTH) {
            throw new IllegalArgumentException("maximum header length must be " + ProxyHeaderDecoder.V1_MAX_LENGTH
                    + "-" + ProxyHeaderDecoder.V2_MAX_LENGTH + " bytes: " + maxHeaderLength);
        }
    }

    /** {@code trust} with the default deadline and maximum header length. */
    public static ReceiveSettings of(TrustPolicy trust) {
        return new ReceiveSettings(trust, DEFAULT_DEADLINE, ProxyHeaderDecoder.DEFAULT_MAX_HEADER_LENGTH);
    }

    /** These settings with another deadline. */
    public ReceiveSettings withDeadline(Duration deadline) {
        return new ReceiveSettings(trust, deadline, maxHeaderLength);
    }

    /** These settings with another maximum header length. */
    public ReceiveSettings withMaxHeaderLength(int maxHeaderLength) {
        return new ReceiveSettings(trust, deadline, maxHeaderLength);
    }
}
