package dev.proxyline.server.app;

import java.util.List;

/**
 * The loggers whose lines belong to the http block's {@code error_log} (nginx's http error log): request handling's
 * refusals, failures and limits ({@code dev.proxyline.server.http} and below: request stage, connection stages with
 * their TLS handshakes, limit_req and limit_conn, rewrite_log) and the http listeners' own log.
 */
public final class HttpErrorLog {
    /** The logger of the http listeners' refusals and upstream failures. */
    static final String REQUESTS = HttpErrorLog.class.getPackageName() + ".http";

    /** Every logger name whose lines (and whose children's) the http error_log takes. */
    public static final List<String> LOGGERS = List.of("dev.proxyline.server.http", REQUESTS);

    private HttpErrorLog() {}
}
