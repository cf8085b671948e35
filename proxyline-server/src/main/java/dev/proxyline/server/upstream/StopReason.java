package dev.proxyline.server.upstream;

/** Why an attempt sequence ended without a successful peer. */
public enum StopReason {
    /** No peer could be chosen: all down, unavailable after failures, or already tried (nginx: "no live upstreams"). */
    NO_LIVE_UPSTREAMS,
    /** The failure is not among the {@code proxy_next_upstream} conditions (or they are {@code off}). */
    NOT_A_RETRY_CONDITION,
    /** The request was already sent and may not be sent again. */
    NOT_REPLAYABLE,
    /** {@code proxy_next_upstream_tries}, or the number of servers, was reached. */
    TRIES_EXHAUSTED,
    /** {@code proxy_next_upstream_timeout} has passed since the first attempt. */
    TIMEOUT_EXCEEDED
}
