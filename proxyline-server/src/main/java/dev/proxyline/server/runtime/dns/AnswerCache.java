package dev.proxyline.server.runtime.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names found, kept as nginx's resolver keeps them: for {@code valid=} when given, else for the smallest TTL of
 * their records. Failures are not kept (nginx 1.22 forgets a name whose lookup failed, so the next request asks
 * again). Shared by every event loop, as one nginx worker shares its resolver's tree; times come from the caller's
 * clock.
 */
final class AnswerCache {
    /** Past this many names, expired ones are swept when a new one is kept, so names seen once do not pile up. */
    private static final int SWEEP_ABOVE = 1024;

    private record Entry(List<InetAddress> addresses, long expiresNanos) {
    }

    private final Optional<Duration> valid;
    private final Map<String, Entry> names = new ConcurrentHashMap<>();

    AnswerCache(Optional<Duration> valid) {
        this.valid = valid;
    }

    /** The addresses of {@code name} if they are still valid at {@code nowNanos}. */
    Optional<List<InetAddress>> get(String name, long nowNanos) {
        Entry entry = names.get(name);
        if (entry == null) return Optional.empty();
        if (entry.expiresNanos() - nowNanos <= 0) {
            names.remove(name, entry);
            return Optional.empty();
        }
        return Optional.of(entry.addresses());
    }

    /** Keeps what a lookup found, {@code ttl} being its records' smallest TTL in seconds. */
    void put(String name, List<InetAddress> addresses, long ttl, long nowNanos) {
        long keepNanos = valid.map(Duration::toNanos).orElse(Duration.ofSeconds(Math.max(0, ttl)).toNanos());
        if (keepNanos <= 0) return;
        if (names.size() > SWEEP_ABOVE) {
            names.values().removeIf(e -> e.expiresNanos() - nowNanos <= 0);
        }
        names.put(name, new Entry(List.copyOf(addresses), nowNanos + keepNanos));
    }
}
