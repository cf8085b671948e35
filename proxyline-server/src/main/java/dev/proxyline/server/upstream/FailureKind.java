package dev.proxyline.server.upstream;

/**
 * Why an attempt with a peer failed, named after the {@code proxy_next_upstream} conditions. Whether
 * a kind counts toward the peer's {@code max_fails} follows nginx: connection errors, timeouts and
 * invalid headers always do; 500, 502, 503, 504 and 429 only when listed in
 * {@code proxy_next_upstream}; 403 and 404 never (the server answered, it is not broken).
 */
public enum FailureKind {
    /** Could not connect, or the connection broke while sending the request or reading the header. */
    ERROR("error", Accounting.ALWAYS),
    /** A connect, send or read timeout. */
    TIMEOUT("timeout", Accounting.ALWAYS),
    /** The upstream sent an empty or invalid response header. */
    INVALID_HEADER("invalid_header", Accounting.ALWAYS),
    /** Response status 500. */
    HTTP_500("http_500", Accounting.WHEN_LISTED),
    /** Response status 502. */
    HTTP_502("http_502", Accounting.WHEN_LISTED),
    /** Response status 503. */
    HTTP_503("http_503", Accounting.WHEN_LISTED),
    /** Response status 504. */
    HTTP_504("http_504", Accounting.WHEN_LISTED),
    /** Response status 429. */
    HTTP_429("http_429", Accounting.WHEN_LISTED),
    /** Response status 403. */
    HTTP_403("http_403", Accounting.NEVER),
    /** Response status 404. */
    HTTP_404("http_404", Accounting.NEVER);

    private enum Accounting { ALWAYS, WHEN_LISTED, NEVER }

    private final String directiveName;
    private final Accounting accounting;

    FailureKind(String directiveName, Accounting accounting) {
        this.directiveName = directiveName;
        this.accounting = accounting;
    }

    /** The name in {@code proxy_next_upstream}, for example {@code http_502}; also used in logs. */
    public String directiveName() {
        return directiveName;
    }

    /** Whether this failure counts toward the peer's {@code max_fails} under {@code policy}. */
    public boolean countsAgainstPeer(NextUpstreamPolicy policy) {
        return switch (accounting) {
            case ALWAYS -> true;
            case WHEN_LISTED -> policy.conditions().contains(this);
            case NEVER -> false;
        };
    }
}
