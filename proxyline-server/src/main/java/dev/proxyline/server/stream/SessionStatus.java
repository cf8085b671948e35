package dev.proxyline.server.stream;

/** The result of a stream session as nginx's stream {@code $status} reports it. */
public enum SessionStatus {
    /** The session ran; it may still have ended with an I/O error or a timeout after the connect. */
    OK(200),
    /** The client's data could not be parsed (for example a malformed PROXY header). */
    BAD_REQUEST(400),
    /** Access was denied (access rules, untrusted PROXY source). */
    FORBIDDEN(403),
    /** The session failed on our side. */
    INTERNAL_SERVER_ERROR(500),
    /** No upstream could be connected. */
    BAD_GATEWAY(502),
    /** A limit was reached ({@code limit_conn}) or no upstream server is available at all. */
    SERVICE_UNAVAILABLE(503);

    private final int code;

    SessionStatus(int code) {
        this.code = code;
    }

    /** The numeric value for {@code $status}. */
    public int code() {
        return code;
    }
}
