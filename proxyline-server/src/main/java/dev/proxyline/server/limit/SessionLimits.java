package dev.proxyline.server.limit;

import dev.proxyline.config.ErrorLog;
import dev.proxyline.config.HttpSettings;
import dev.proxyline.config.LimitConnOptions;
import dev.proxyline.config.LimitConnZone;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.Template;
import dev.proxyline.server.variables.TemplateException;
import dev.proxyline.server.variables.VariableTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code limit_conn}s of one stream server or http location, keys compiled, with its {@code limit_conn_dry_run}
 * and {@code limit_conn_log_level}: checks a session (or request) once its client is known (nginx's preaccess phase,
 * after realip) and says what it holds until it ends. nginx's two limit_conn modules are one algorithm; so is this.
 */
public final class SessionLimits {
    /** {@code $limit_conn_status} values, as nginx's. */
    public static final String PASSED = "PASSED";
    public static final String REJECTED = "REJECTED";
    public static final String REJECTED_DRY_RUN = "REJECTED_DRY_RUN";

    private static final SessionLimits NONE = new SessionLimits(List.of(), new LimitConnOptions(ErrorLog.Level.ERROR,
            false));

    /** {@code limit_conn ZONE NUMBER} with the zone's key compiled. */
    public record Limit(RequestCountZone zone, Template key, int number) {
        public Limit {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(key, "key");
            if (number < 1) throw new IllegalArgumentException("number " + number);
        }
    }

    private final List<Limit> limits;
    private final LimitConnOptions options;

    public SessionLimits(List<Limit> limits, LimitConnOptions options) {
        this.limits = List.copyOf(limits);
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The limits of {@code rules} (one block's {@code limit_conn} lines), each with its zone: {@code zones} holds one
     * per name for the whole stream or http block, made here on first use. A line whose zone {@code configs} lacks was
     * reported by the configuration and is skipped; a key naming an unknown variable is added to {@code problems}.
     */
    public static SessionLimits of(List<HttpSettings.LimitConn> rules, Map<String, LimitConnZone> configs,
                                   Map<String, RequestCountZone> zones, VariableTable variables,
                                   LimitConnOptions options, List<String> problems) {
        List<Limit> limits = new ArrayList<>();
        for (HttpSettings.LimitConn rule : rules) {
            LimitConnZone config = configs.get(rule.zone());
            if (config == null) continue;
            try {
                Template key = Template.compile(config.key(), variables);
                RequestCountZone zone = zones.computeIfAbsent(config.name(),
                        name -> new RequestCountZone(name, config.size()));
                limits.add(new Limit(zone, key, rule.number()));
            } catch (TemplateException e) {
                problems.add(config.position() + ": limit_conn_zone: " + e.getMessage());
            }
        }
        return new SessionLimits(limits, options);
    }

    /** A server without {@code limit_conn}. */
    public static SessionLimits none() {
        return NONE;
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    public LimitConnOptions options() {
        return options;
    }

    /**
     * nginx's error-log line for a session or request that met the cap of {@code zone}, before its {@code ", client:
     * ..."}: {@code limiting connections by zone "addr"}, or {@code limiting connections, dry run, by zone "addr"}.
     */
    public String limitingLine(String zone) {
        return "limiting connections" + (options.dryRun() ? ", dry run," : "") + " by zone \"" + zone + "\"";
    }

    /**
     * Counts {@code session} under each limit's key, as nginx: an empty key is not counted; a key at its cap (or a
     * full zone) refuses the session and gives back what was counted for it, and the limits after it are not
     * looked at; in a dry run such a session goes on, holding nothing.
     */
    public Check check(SessionSnapshot session) {
        String[] held = new String[limits.size()];
        String status = "";
        for (int i = 0; i < held.length; i++) {
            Limit limit = limits.get(i);
            String key = limit.key().render(session);
            if (key.isEmpty()) continue;
            status = PASSED;
            if (!limit.zone().acquire(key, limit.number())) {
                release(held);
                // A key the zone does not hold was refused for want of room: nginx writes no line for that.
                String limitedBy = limit.zone().inProgress(key) > 0 ? limit.zone().name() : null;
                return new Check(null, options.dryRun() ? REJECTED_DRY_RUN : REJECTED, limitedBy, !options.dryRun());
            }
            held[i] = key;
        }
        return new Check(held, status, null, false);
    }

    private void release(String[] held) {
        for (int i = 0; i < held.length; i++) {
            if (held[i] != null) limits.get(i).zone().release(held[i]);
        }
    }

    /**
     * What one session's check found and holds. {@link #release()} gives the counts back once, however often it
     * is called; the session's end calls it.
     */
    public final class Check {
        private String[] held; // null once released or when nothing is held
        private final String status;
        private final String limitedBy;
        private final boolean refused;

        private Check(String[] held, String status, String limitedBy, boolean refused) {
            this.held = held;
            this.status = status;
            this.limitedBy = limitedBy;
            this.refused = refused;
        }

        /** {@code $limit_conn_status}; empty (not found) when no key was counted. */
        public String status() {
            return status;
        }

        /** The zone whose limit the session met, also in a dry run: the error log names it (not for a full zone). */
        public Optional<String> limitedBy() {
            return Optional.ofNullable(limitedBy);
        }

        /** True when the session must be closed (503). */
        public boolean refused() {
            return refused;
        }

        public void release() {
            if (held != null) {
                SessionLimits.this.release(held);
                held = null;
            }
        }
    }
}
