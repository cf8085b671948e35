package dev.proxyline.server.stream.preread;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The client's first bytes while {@code ssl_preread} waits for its ClientHello, on either path: they are judged as
 * they come and handed on whole once the preread is over, as nginx forwards its preread buffer to the upstream first.
 * Judges only the first {@code preread_buffer_size} bytes (nginx reads no more than that); a read may bring more,
 * which is kept for the upstream as it is.
 */
public final class PrereadBuffer {
    private static final byte[] NONE = new byte[0];

    private final int limit;
    private byte[] bytes = NONE;
    private int length;

    /** @param limit {@code preread_buffer_size} */
    public PrereadBuffer(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit + " (expected at least 1)");
        }
        this.limit = limit;
    }

    /** Keeps {@code n} bytes of {@code from} from index {@code offset}; its position and limit are left alone. */
    public void add(ByteBuffer from, int offset, int n) {
        if (bytes.length - length < n) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, Math.min(limit, Math.max(256, bytes.length * 2))));
        }
        from.get(offset, bytes, length, n);
        length += n;
    }

    /** How many more bytes a read may take before the limit is reached; 0 once it is. */
    public int room() {
        return Math.max(0, limit - length);
    }

    /** How many bytes are kept. */
    public int length() {
        return length;
    }

    /** The kept bytes, for the upstream; the array may be longer than {@link #length()}. */
    public byte[] array() {
        return bytes;
    }

    /**
     * What the bytes so far say. A hello still incomplete once the limit is reached is {@link Verdict#FULL}: nginx
     * ends such a session with 400 ("preread buffer full").
     */
    public Verdict judge() {
        PrereadResult result = ClientHelloParser.parse(bytes, 0, Math.min(length, limit));
        if (result instanceof PrereadResult.Hello hello) {
            return new Verdict(Verdict.Kind.DONE, Optional.of(hello.hello()), "");
        }
        if (result instanceof PrereadResult.NotTls notTls) {
            return new Verdict(Verdict.Kind.DONE, Optional.empty(), notTls.reason());
        }
        return length >= limit ? Verdict.FULL : Verdict.NEED_MORE;
    }

    /**
     * What the variables show for a session that ended before the hello was complete: not found when the client
     * sent nothing, empty otherwise (nginx has started its context by then).
     */
    public Optional<ClientHello> unfinished() {
        return length == 0 ? Optional.empty() : Optional.of(ClientHello.INCOMPLETE);
    }

    /**
     * Where the preread stands.
     *
     * @param kind  go on reading, go on to the upstream, or end the session with 400
     * @param hello for DONE, the hello found; empty when the bytes were not TLS (the variables are then not found)
     * @param why   for DONE without a hello, why the bytes are not a hello nginx reads
     */
    public record Verdict(Kind kind, Optional<ClientHello> hello, String why) {
        static final Verdict NEED_MORE = new Verdict(Kind.NEED_MORE, Optional.empty(), "");
        static final Verdict FULL = new Verdict(Kind.FULL, Optional.empty(), "preread buffer full");

        /** Go on reading, go on to the upstream, or end the session with 400. */
        public enum Kind { NEED_MORE, DONE, FULL }
    }
}
