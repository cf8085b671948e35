package dev.proxyline.server.app;

/**
 * The TLS handshake of {@code proxy_ssl} with one upstream server failed, timed out, or the server's certificate was
 * refused by {@code proxy_ssl_verify}. The message is nginx's error log words for it, without the "while ..." part
 * and the session's addresses, which {@link GroupAttempts} adds. Like a failed connect it costs the server a failure
 * and lets {@code proxy_next_upstream} try the next one. Carries no stack trace: it describes the peer.
 */
final class UpstreamHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    /** @param timedOut {@code proxy_connect_timeout} passed before the handshake was done */
    UpstreamHandshakeException(String message, boolean timedOut) {
        super(message, null, false, false);
        this.timedOut = timedOut;
    }

    boolean timedOut() {
        return timedOut;
    }
}
