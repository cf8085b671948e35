package dev.proxyline.server.app;

/**
 * No upstream server could be connected for a session; the message says why, in the style of nginx's
 * error log. Carries no stack trace: it describes the network, not a fault of the code.
 */
final class UpstreamUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    UpstreamUnavailableException(String message) {
        super(message, null, false, false);
    }
}
