package dev.proxyline.server.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A zone of {@code ssl_ocsp_cache}: the statuses responders stated about client certificates (revoked and unknown as
 * well as good), by nginx's rules: an answer is kept until its nextUpdate, an hour without one, and not at all when
 * its nextUpdate has passed; an expired answer is dropped when looked up; when the zone is full the answer stored
 * longest ago makes room. Shared by every connection of the servers naming the zone; plain Java.
 */
final class OcspStatusCache {
    /** What an answer takes in nginx's zone (its node, the 60-byte key and the slab's rounding): sizes the zone. */
    static final int ENTRY_BYTES = 256;
    /** How long an answer without nextUpdate is kept. */
    static final Duration WITHOUT_NEXT_UPDATE = Duration.ofHours(1);

    private record Entry(OcspExchange.Status status, Instant validUntil) {
    }

    private final Clock clock;
    private final int capacity;
    /** In the order stored: the first is the one to give up. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** @param size the zone's size in bytes, as {@code ssl_ocsp_cache} gives it */
    OcspStatusCache(long size, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, size / ENTRY_BYTES));
    }

    /** The status kept for {@code key} ({@link OcspExchange#key()}), if it is still valid. */
    synchronized Optional<OcspExchange.Status> lookup(String key) {
        Entry e = entries.get(key);
        if (e == null) return Optional.empty();
        if (e.validUntil().isAfter(clock.instant())) return Optional.of(e.status());
        entries.remove(key);
        return Optional.empty();
    }

    /** Keeps what a response stated about {@code key}. */
    synchronized void store(String key, OcspExchange.Status status, Optional<Instant> nextUpdate) {
        Instant now = clock.instant();
        Instant valid = nextUpdate.orElse(now.plus(WITHOUT_NEXT_UPDATE));
        if (valid.isBefore(now)) return;
        entries.remove(key); // a newer answer is stored as new
        if (entries.size() >= capacity) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(key, new Entry(status, valid));
    }

    synchronized int size() {
        return entries.size();
    }
}
