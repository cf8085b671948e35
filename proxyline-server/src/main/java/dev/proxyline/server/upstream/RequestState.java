package dev.proxyline.server.upstream;

/** How far the request got before an attempt failed: decides whether it may be sent to another peer. */
public enum RequestState {
    /** Nothing was sent to the peer (typically a connect failure); always safe to retry. */
    NOT_SENT,
    /** An idempotent request was sent; retried as the conditions allow. */
    SENT,
    /** A POST, LOCK or PATCH was sent; retried only with {@code proxy_next_upstream non_idempotent}. */
    SENT_NON_IDEMPOTENT,
    /** Bytes were sent that cannot be sent again (an unbuffered body, an L4 stream); never retried. */
    SENT_NOT_REPLAYABLE
}
