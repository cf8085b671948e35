package dev.proxyline.protocol;

import java.util.Objects;

/** A header that cannot be put on the wire, with the {@link Reason} why. */
public final class ProxyEncodeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public ProxyEncodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
