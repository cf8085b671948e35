package dev.proxyline.server.http.proxy;

import dev.proxyline.server.limit.SessionLimits;
import java.util.Objects;

/**
 * A location's {@code limit_conn} settings as the handler applies them: the same check as a stream server's
 * ({@link SessionLimits}), with the http answer.
 *
 * @param limits the location's limits, zones shared by the whole http block, with {@code limit_conn_log_level} and
 *               {@code limit_conn_dry_run}
 * @param status {@code limit_conn_status}
 * @param log    where the lines go (not limit_req's, so that neither's lines hold back the other's)
 */
record LimitConnPlan(SessionLimits limits, int status, LimitLog log) {
    LimitConnPlan {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(log, "log");
    }

    boolean isEmpty() {
        return limits.isEmpty();
    }
}
