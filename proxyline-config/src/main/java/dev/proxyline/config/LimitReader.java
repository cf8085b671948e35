package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the {@code limit_req} and {@code limit_conn} modules' directives, http's and stream's, with nginx's
 * parameter forms and its error wording.
 */
final class LimitReader {
    /** nginx refuses a zone smaller than 8 pages. */
    private static final long MIN_ZONE_SIZE = 8 * 4096;
    private static final List<ErrorLog.Level> LEVELS =
            List.of(ErrorLog.Level.INFO, ErrorLog.Level.NOTICE, ErrorLog.Level.WARN, ErrorLog.Level.ERROR);

    private final ArgReader r;

    LimitReader(ArgReader r) {
        this.r = r;
    }

    /** Every {@code limit_req_zone} of the http block; a name declared twice is an error, as in nginx. */
    Map<String, LimitReqZone> zones(List<Directive> directives) {
        Map<String, LimitReqZone> zones = new LinkedHashMap<>();
        for (Directive d : directives) {
            zone(d).ifPresent(zone -> {
                LimitReqZone first = zones.putIfAbsent(zone.name(), zone);
                if (first != null) {
                    r.error(d, "limit_req_zone \"" + zone.name() + "\" is already bound to key \"" + first.key()
                            + "\" (at " + first.position() + ")");
                }
            });
        }
        return zones;
    }

    private Optional<LimitReqZone> zone(Directive d) {
        String name = null;
        long size = 0;
        long rate = 1000;
        boolean ok = true;
        for (int i = 1; i < d.args().size(); i++) {
            Argument a = d.arg(i);
            String v = a.value();
            if (v.startsWith("zone=")) {
                int colon = v.indexOf(':');
                OptionalLong parsed = colon < 0 ? OptionalLong.empty() : Values.size(v.substring(colon + 1));
                if (colon <= 5 || parsed.isEmpty()) {
                    r.error(a, "invalid zone size \"" + v.substring(5) + "\" in \"limit_req_zone\" (expected "
                            + "zone=NAME:SIZE, e.g. zone=one:10m)");
                    ok = false;
                    continue;
                }
                name = v.substring(5, colon);
                size = parsed.getAsLong();
                if (size < MIN_ZONE_SIZE) {
                    r.error(a, "zone \"" + name + "\" is too small (at least 32k)");
                    ok = false;
                }
            } else if (v.startsWith("rate=")) {
                OptionalLong parsed = rate(v.substring(5));
                if (parsed.isEmpty()) {
                    r.error(a, "invalid rate \"" + v + "\" (expected e.g. rate=10r/s or rate=30r/m)");
                    ok = false;
                } else {
                    rate = parsed.getAsLong();
                }
            } else if (v.equals("sync")) {
                r.error(a, "\"sync\" in \"limit_req_zone\" is not supported: it shares a zone between the servers of "
                        + "an NGINX Plus cluster; a proxyline zone is shared by the workers of one process only");
                ok = false;
            } else {
                r.error(a, "invalid parameter \"" + v + "\" in \"limit_req_zone\"");
                ok = false;
            }
        }
        if (name == null) {
            if (ok) r.error(d, "\"limit_req_zone\" must have \"zone\" parameter");
            return Optional.empty();
        }
        return ok ? Optional.of(new LimitReqZone(d.position(), d.arg(0).value(), name, size, rate)) : Optional.empty();
    }

    /** nginx's {@code N}, {@code Nr/s} or {@code Nr/m}, in thousandths of a request per second. */
    static OptionalLong rate(String text) {
        long scale = 1;
        String digits = text;
        if (text.endsWith("r/s")) {
            digits = text.substring(0, text.length() - 3);
        } else if (text.endsWith("r/m")) {
            scale = 60;
            digits = text.substring(0, text.length() - 3);
        }
        OptionalLong n = Values.number(digits);
        if (n.isEmpty() || n.getAsLong() <= 0 || n.getAsLong() > Integer.MAX_VALUE) return OptionalLong.empty();
        long rate = n.getAsLong() * 1000 / scale;
        return rate > 0 ? OptionalLong.of(rate) : OptionalLong.empty();
    }

    /** The {@code limit_req} settings a level has (its own {@code limit_req}s, or the nearest outer level's). */
    LimitReqSettings limitReq(Scope s) {
        List<LimitReqSettings.Rule> rules = new ArrayList<>();
        for (Directive d : s.all("limit_req")) {
            rule(d).ifPresent(rule -> {
                // One level's list (Scope.all never mixes levels); errors of an inherited one are reported once.
                if (rules.stream().anyMatch(other -> other.zone().equals(rule.zone()))) {
                    r.error(d, "\"limit_req\" directive is duplicate (zone \"" + rule.zone() + "\")");
                } else {
                    rules.add(rule);
                }
            });
        }
        return new LimitReqSettings(rules,
                s.get("limit_req_status").map(d -> r.intInRange(d, d.arg(0), 400, 599).orElse(503)).orElse(503),
                s.get("limit_req_log_level").flatMap(this::level).orElse(ErrorLog.Level.ERROR),
                s.get("limit_req_dry_run").flatMap(d -> r.flag(d, d.arg(0))).orElse(false));
    }

    /** Every {@code limit_conn_zone KEY zone=NAME:SIZE} of an http or stream block; a name declared twice is an error. */
    Map<String, LimitConnZone> connZones(List<Directive> directives) {
        Map<String, LimitConnZone> zones = new LinkedHashMap<>();
        for (Directive d : directives) {
            Argument zone = d.arg(1);
            String v = zone.value();
            int colon = v.lastIndexOf(':');
            if (!v.startsWith("zone=") || colon <= 5) {
                r.error(zone, "invalid zone \"" + v + "\" in \"limit_conn_zone\" (expected zone=NAME:SIZE)");
                continue;
            }
            String name = v.substring(5, colon);
            OptionalLong size = r.size(d, new Argument(v.substring(colon + 1), zone.position(), zone.quoted()));
            if (size.isEmpty() || size.getAsLong() <= 0) continue;
            LimitConnZone first = zones.putIfAbsent(name, new LimitConnZone(d.position(), d.arg(0).value(), name,
                    size.getAsLong()));
            if (first != null) {
                r.error(zone, "duplicate zone \"" + name + "\" (first at " + first.position() + ")");
            }
        }
        return zones;
    }

    /** The {@code limit_conn ZONE NUMBER}s a level has (its own, or the nearest outer level's). */
    List<HttpSettings.LimitConn> limitConns(Scope s) {
        return s.all("limit_conn").stream().flatMap(d -> r.intInRange(d, d.arg(1), 1, 65535).stream()
                .mapToObj(n -> new HttpSettings.LimitConn(d.arg(0).value(), n, d.position()))).toList();
    }

    /** A {@code limit_conn} naming a zone that no {@code limit_conn_zone} defines, as nginx reports it. */
    void checkZone(HttpSettings.LimitConn limit, Map<String, LimitConnZone> zones) {
        if (!zones.containsKey(limit.zone())) {
            r.errors().add(limit.position(), "zero size shared memory zone \"" + limit.zone()
                    + "\" (no limit_conn_zone defines it)");
        }
    }

    LimitConnOptions limitConn(Scope s) {
        return new LimitConnOptions(s.get("limit_conn_log_level").flatMap(this::level).orElse(ErrorLog.Level.ERROR),
                s.get("limit_conn_dry_run").flatMap(d -> r.flag(d, d.arg(0))).orElse(false));
    }

    private Optional<LimitReqSettings.Rule> rule(Directive d) {
        String zone = null;
        int burst = 0;
        int delay = 0;
        boolean ok = true;
        for (Argument a : d.args()) {
            String v = a.value();
            if (v.startsWith("zone=") && v.length() > 5) {
                zone = v.substring(5);
            } else if (v.startsWith("burst=")) {
                OptionalInt n = positive(v.substring(6));
                if (n.isEmpty()) {
                    r.error(a, "invalid burst value \"" + v + "\" (expected a number of requests, at least 1)");
                    ok = false;
                } else {
                    burst = n.getAsInt();
                }
            } else if (v.startsWith("delay=")) {
                OptionalInt n = positive(v.substring(6));
                if (n.isEmpty()) {
                    r.error(a, "invalid delay value \"" + v + "\" (expected a number of requests, at least 1)");
                    ok = false;
                } else {
                    delay = n.getAsInt();
                }
            } else if (v.equals("nodelay")) {
                delay = LimitReqSettings.Rule.NO_DELAY;
            } else {
                r.error(a, "invalid parameter \"" + v + "\" in \"limit_req\" (expected zone=NAME, burst=N, "
                        + "nodelay or delay=N)");
                ok = false;
            }
        }
        if (zone == null) {
            if (ok) r.error(d, "\"limit_req\" must have \"zone\" parameter");
            return Optional.empty();
        }
        return ok ? Optional.of(new LimitReqSettings.Rule(zone, burst, delay, d.position())) : Optional.empty();
    }

    /** At most what nginx's thousandths fit in an int, which no real burst reaches. */
    private static OptionalInt positive(String digits) {
        OptionalLong n = Values.number(digits);
        return n.isEmpty() || n.getAsLong() <= 0 || n.getAsLong() > Integer.MAX_VALUE / 1000 ? OptionalInt.empty()
                : OptionalInt.of((int) n.getAsLong());
    }

    private Optional<ErrorLog.Level> level(Directive d) {
        for (ErrorLog.Level level : LEVELS) {
            if (level.name().equalsIgnoreCase(d.arg(0).value())) return Optional.of(level);
        }
        r.error(d.arg(0), "invalid value \"" + d.arg(0).value() + "\" in \"" + d.name()
                + "\" directive (expected info, notice, warn or error)");
        return Optional.empty();
    }
}
