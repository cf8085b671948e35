package dev.proxyline.server.upstream;

/** The answer to {@link AttemptSequence#fail}: try the next peer, or give up. */
public sealed interface Verdict permits Verdict.Retry, Stop {

    /** Call {@link AttemptSequence#next()} for another peer. */
    record Retry() implements Verdict {
    }
}
