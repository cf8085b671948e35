package dev.proxyline.server.upstream;

/** The answer to {@link AttemptSequence#next()}: a peer to try, or the end of the sequence. */
public sealed interface Selection permits Selection.Chosen, Stop {

    /** Connect to {@code peer}; report the outcome with {@link AttemptSequence#succeed()} or {@code fail}. */
    record Chosen(Peer peer) implements Selection {
        /** Rejects null. */
        public Chosen {
            java.util.Objects.requireNonNull(peer, "peer");
        }
    }
}
