package dev.proxyline.server.limit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code limit_conn_zone}: how many requests (http) or sessions (stream) are in progress per key, shared by every
 * event loop as nginx's zone is by its workers. A key is kept only while it has requests; a zone whose {@code size}
 * holds no more keys refuses new ones, as nginx does when its zone is full (about 64 bytes per key here).
 */
public final class RequestCountZone {
    private static final int BYTES_PER_KEY = 64;

    private final String name;
    private final int capacity;
    private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();

    public RequestCountZone(String name, long size) {
        this.name = name;
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, size / BYTES_PER_KEY));
    }

    public String name() {
        return name;
    }

    /** Counts one more request for {@code key} if it has fewer than {@code limit}; false if refused. */
    public boolean acquire(String key, int limit) {
        boolean[] acquired = new boolean[1];
        inProgress.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit || (count == null && inProgress.size() >= capacity)) {
                return count;
            }
            acquired[0] = true;
            return now + 1;
        });
        return acquired[0];
    }

    /** One request for {@code key} ended. */
    public void release(String key) {
        inProgress.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** Requests in progress for {@code key}, for tests. */
    public int inProgress(String key) {
        return inProgress.getOrDefault(key, 0);
    }
}
