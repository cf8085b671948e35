package dev.proxyline.server.http.proxy;

/**
 * A request whose {@code proxy_pass} with variables leads nowhere: answered with {@code status} (500 for a URL nginx
 * would not take, 502 for a name that could not be looked up), counted by {@code reason} and logged with nginx's
 * words (the message). Expected, so no stack trace is made.
 */
final class RouteFailure extends Exception {
    private final int status;
    private final HttpCounters.Reason reason;

    RouteFailure(int status, HttpCounters.Reason reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    int status() {
        return status;
    }

    HttpCounters.Reason reason() {
        return reason;
    }
}
