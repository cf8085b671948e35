package dev.proxyline.server.stream.preread;

import java.util.Objects;

/** What the bytes read so far say about a client's TLS ClientHello ({@link ClientHelloParser}). */
public sealed interface PrereadResult {
    /** Not enough bytes to decide yet. */
    NeedMore NEED_MORE = new NeedMore();

    /** The hello is not complete yet: the caller reads more (within {@code preread_buffer_size}). */
    record NeedMore() implements PrereadResult {
    }

    /**
     * Not a TLS ClientHello, or one the parser cannot read: nginx declines, the variables are not found, and the
     * session goes on to its upstream with the bytes read.
     *
     * @param reason what was wrong, for a debug line
     */
    record NotTls(String reason) implements PrereadResult {
        public NotTls {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A complete ClientHello. */
    record Hello(ClientHello hello) implements PrereadResult {
        public Hello {
            Objects.requireNonNull(hello, "hello");
        }
    }
}
