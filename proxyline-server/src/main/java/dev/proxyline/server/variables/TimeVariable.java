package dev.proxyline.server.variables;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code $time_local} and {@code $time_iso8601} of the snapshot time, in the zone the table was
 * made with. Like nginx, which formats its cached time once per second, each instance keeps the
 * text of the last second it formatted, so a busy log formats a date once a second rather than once
 * a line.
 */
public final class TimeVariable implements Variable {
    /** nginx's {@code $time_local}: {@code 28/Sep/1970:12:00:00 +0600}. */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss xx", Locale.ENGLISH);
    /** nginx's {@code $time_iso8601}: {@code 1970-09-28T12:00:00+06:00}. */
    static final DateTimeFormatter ISO8601 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ENGLISH);

    /** The text of one second; immutable, so publishing it through a volatile field is safe. */
    private record Cached(long epochSecond, String text) {
    }

    private final String name;
    private final DateTimeFormatter formatter;
    private volatile Cached cached = new Cached(Long.MIN_VALUE, "");

    TimeVariable(String name, DateTimeFormatter formatter, ZoneId zone) {
        this.name = Objects.requireNonNull(name, "name");
        this.formatter = formatter.withZone(Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String variableName() {
        return name;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        long second = Math.floorDiv(session.nowMillis(), 1000);
        Cached last = cached;
        if (last.epochSecond() != second) {
            last = new Cached(second, formatter.format(Instant.ofEpochSecond(second)));
            cached = last;
        }
        out.append(last.text());
        return true;
    }

    @Override
    public String toString() {
        return "$" + name;
    }
}
