package dev.proxyline.protocol;

import java.util.Objects;

/** What the decoder made of the bytes it was given: a header, a need for more bytes, or a refusal. */
public sealed interface DecodeResult permits DecodeResult.Complete, DecodeResult.NeedMore, DecodeResult.Invalid {

    /** The bytes so far are a valid prefix; decode again when more have arrived. */
    static NeedMore needMore() {
        return NeedMore.INSTANCE;
    }

    /**
     * A complete, valid header of {@code length} bytes. Everything after those bytes is the
     * application's and must be passed on unchanged.
     */
    record Complete(ProxyHeader header, int length) implements DecodeResult {
        public Complete {
            Objects.requireNonNull(header, "header");
            if (length < 15) {
                throw new IllegalArgumentException("no PROXY header is shorter than 15 bytes: " + length);
            }
        }
    }

    /** Not enough bytes yet to decide. */
    record NeedMore() implements DecodeResult {
        static final NeedMore INSTANCE = new NeedMore();
    }

    /**
     * The bytes cannot be a valid header: the connection must be closed. {@code offset} is where
     * in the input the problem was found; the message names it, shows the bytes and says what was
     * expected.
     */
    record Invalid(Reason reason, int offset, String message) implements DecodeResult {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
