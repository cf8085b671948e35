package dev.proxyline.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code limit_req} module's settings of one level: {@code limit_req} (several; a level with its own replaces
 * the outer ones), {@code limit_req_status} (default 503), {@code limit_req_log_level} (default error) and
 * {@code limit_req_dry_run} (default off).
 */
public record LimitReqSettings(List<Rule> rules, int status, ErrorLog.Level logLevel, boolean dryRun) {
    public LimitReqSettings {
        rules = List.copyOf(rules);
        Objects.requireNonNull(logLevel, "logLevel");
    }

    /**
     * {@code limit_req zone=NAME [burst=N] [nodelay | delay=N]}.
     *
     * @param burst requests a key may be ahead of the rate before it is refused (0 by default)
     * @param delay requests a key may be ahead of the rate before it is delayed; {@link #NO_DELAY} for nodelay
     */
    public record Rule(String zone, int burst, int delay, Position position) {
        /** {@code nodelay}: never delayed, whatever the excess. */
        public static final int NO_DELAY = Integer.MAX_VALUE;

        public Rule {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(position, "position");
            if (burst < 0 || delay < 0) throw new IllegalArgumentException("burst " + burst + ", delay " + delay);
        }
    }
}
