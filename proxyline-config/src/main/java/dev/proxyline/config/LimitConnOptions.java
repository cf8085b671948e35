package dev.proxyline.config;

import java.util.Objects;

/** {@code limit_conn_log_level} (default error) and {@code limit_conn_dry_run} (default off) of one level. */
public record LimitConnOptions(ErrorLog.Level logLevel, boolean dryRun) {
    public LimitConnOptions {
        Objects.requireNonNull(logLevel, "logLevel");
    }
}
