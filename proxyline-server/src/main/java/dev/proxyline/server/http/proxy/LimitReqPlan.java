package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.server.http.limit.RateLimits;
import dev.proxyline.server.variables.Template;
import java.util.List;
import java.util.Objects;

/**
 * A location's {@code limit_req} settings as the handler applies them.
 *
 * @param limits   the location's limits, zones shared by the whole http block
 * @param keys     each limit's zone key, compiled, in the same order
 * @param status   {@code limit_req_status}
 * @param logLevel {@code limit_req_log_level} (delays are logged one level lower)
 * @param dryRun   {@code limit_req_dry_run}: decide and log, but neither refuse nor delay
 * @param log      where the lines go
 */
record LimitReqPlan(RateLimits limits, List<Template> keys, int status, ErrorLog.Level logLevel, boolean dryRun,
                    LimitLog log) {
    LimitReqPlan {
        Objects.requireNonNull(limits, "limits");
        keys = List.copyOf(keys);
        if (keys.size() != limits.limits().size()) throw new IllegalArgumentException("a key per limit");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(log, "log");
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }
}
