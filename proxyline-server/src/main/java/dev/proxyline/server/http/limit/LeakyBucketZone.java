package dev.proxyline.server.http.limit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@code limit_req_zone}: one leaky bucket per key, shared by every event loop as nginx's zone is by its workers.
 * A bucket holds the key's excess over the rate in thousandths of a request, drained at the rate with millisecond
 * time, exactly as nginx keeps it.
 *
 * <p>The zone's size bounds the keys it keeps (128 bytes a key, the figure nginx documents for 64-bit platforms).
 * Keys live in stripes, each a map in least-recently-used order under its own lock (nginx has one mutex per zone):
 * looking up a key that is present allocates nothing. Adding a key first drops up to two least recently used keys
 * that have drained and were not seen for a minute; a full stripe drops its least recently used key by force, as
 * nginx's full zone does, and refuses the new key only when that key is held by a check in progress.
 */
public final class LeakyBucketZone {
    /** nginx's figure for a limit_req state on 64-bit platforms. */
    static final int BYTES_PER_KEY = 128;
    private static final int MAX_STRIPES = 16;
    private static final int MIN_KEYS_PER_STRIPE = 64;
    /** A key not seen for this long, and drained, may be dropped when another is added. */
    private static final long STALE_MILLIS = 60_000;

    private final String name;
    private final long rate;
    private final LongSupplier millis;
    private final Stripe[] stripes;

    /**
     * @param name   the zone's name, for the log
     * @param size   the zone's size in bytes
     * @param rate   thousandths of a request per second ({@code 10r/s} is 10000, {@code 1r/m} 16)
     * @param millis a monotonic clock in milliseconds
     */
    public LeakyBucketZone(String name, long size, long rate, LongSupplier millis) {
        this.name = Objects.requireNonNull(name, "name");
        if (rate <= 0) throw new IllegalArgumentException("rate " + rate);
        this.rate = rate;
        this.millis = Objects.requireNonNull(millis, "millis");
        long keys = Math.max(1, Math.min(Integer.MAX_VALUE, size / BYTES_PER_KEY));
        int count = 1;
        while (count < MAX_STRIPES && keys / (count * 2L) >= MIN_KEYS_PER_STRIPE) count *= 2;
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe((int) Math.max(1, keys / count + (i < keys % count ? 1 : 0)));
        }
    }

    public String name() {
        return name;
    }

    /** Thousandths of a request per second. */
    public long rate() {
        return rate;
    }

    /** How many keys the zone keeps at most. */
    public int capacity() {
        int sum = 0;
        for (Stripe s : stripes) sum += s.capacity;
        return sum;
    }

    /** How many keys the zone keeps now. */
    public int size() {
        int sum = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                sum += s.buckets.size();
            }
        }
        return sum;
    }

    /** The excess {@code key} has now (thousandths of a request, drained to now), or -1 if the zone lacks it. */
    public long excess(String key) {
        Stripe stripe = stripe(key);
        synchronized (stripe) {
            Bucket b = stripe.buckets.get(key);
            return b == null ? -1 : Math.max(0, b.excess - rate * elapsed(millis.getAsLong(), b.last) / 1000);
        }
    }

    /**
     * nginx's lookup of one limit. With {@code account} (the location's last limit) a key within {@code burst} has
     * its new excess recorded at once; otherwise it is held (kept from eviction) for {@link #account} or
     * {@link #release} to finish.
     *
     * @param burst thousandths of a request
     * @param probe where the outcome goes
     */
    void lookup(String key, long burst, boolean account, Probe probe) {
        long now = millis.getAsLong();
        Stripe stripe = stripe(key);
        synchronized (stripe) {
            Bucket b = stripe.buckets.get(key); // moves it to the most recently used end
            if (b != null) {
                long ms = elapsed(now, b.last);
                // A key whose first request was never recorded is as drained as nginx's (its time is zero).
                long excess = b.fresh ? 0 : Math.max(0, b.excess - rate * ms / 1000 + 1000);
                probe.excess = excess;
                if (excess > burst) {
                    probe.outcome = Probe.BUSY;
                    return;
                }
                if (account) {
                    b.excess = excess;
                    if (ms != 0 || b.fresh) b.last = now;
                    b.fresh = false;
                    probe.outcome = Probe.OK;
                    return;
                }
                b.held++;
                probe.held = b;
                probe.outcome = Probe.AGAIN;
                return;
            }
            probe.excess = 0;
            stripe.expire(now, false, rate);
            if (stripe.buckets.size() >= stripe.capacity) {
                stripe.expire(now, true, rate);
                if (stripe.buckets.size() >= stripe.capacity) {
                    probe.outcome = Probe.NO_ROOM;
                    return;
                }
            }
            b = new Bucket(stripe);
            stripe.buckets.put(key, b);
            b.last = now;
            if (account) {
                probe.outcome = Probe.OK;
                return;
            }
            // Its first request is never ahead of the rate, whenever account() records it.
            b.fresh = true;
            b.held = 1;
            probe.held = b;
            probe.outcome = Probe.AGAIN;
        }
    }

    /** Records the request in a bucket {@link #lookup} held, drained to now; the new excess. */
    long account(Bucket b) {
        long now = millis.getAsLong();
        synchronized (b.stripe) {
            long ms = elapsed(now, b.last);
            long excess = b.fresh ? 0 : Math.max(0, b.excess - rate * ms / 1000 + 1000);
            if (ms != 0 || b.fresh) b.last = now;
            b.fresh = false;
            b.excess = excess;
            b.held--;
            return excess;
        }
    }

    /** Lets go of a bucket {@link #lookup} held, recording nothing (another limit refused the request). */
    void release(Bucket b) {
        synchronized (b.stripe) {
            b.held--;
        }
    }

    /** Milliseconds since {@code last}, as nginx counts them when the clock went back. */
    private static long elapsed(long now, long last) {
        long ms = now - last;
        if (ms < -60_000) return 1;
        return Math.max(0, ms);
    }

    private Stripe stripe(String key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        return stripes[(h * 0x9E3779B9 >>> 16) & (stripes.length - 1)];
    }

    /** One key's state; guarded by its stripe. */
    static final class Bucket {
        final Stripe stripe;
        long excess;
        long last;
        /** Checks in progress that looked this bucket up and have not recorded or let go of it yet. */
        int held;
        /** Added by a check still in progress: its first request is recorded with no excess. */
        boolean fresh;

        Bucket(Stripe stripe) {
            this.stripe = stripe;
        }
    }

    /** Keys in least-recently-used order (the eldest first). */
    static final class Stripe {
        final int capacity;
        final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

        Stripe(int capacity) {
            this.capacity = capacity;
        }

        /**
         * nginx's expiry before it adds a key: up to two least recently used keys that are drained and were not
         * seen for a minute go; {@code force} first drops the least recently used key whatever its state. A held
         * key stops it: the keys behind it were looked up even longer ago only if they are held too.
         */
        void expire(long now, boolean force, long rate) {
            Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
            for (int n = force ? 0 : 1; n < 3 && it.hasNext(); n++) {
                Bucket b = it.next().getValue();
                if (b.held > 0) return;
                if (n != 0 && !b.fresh) {
                    long ms = Math.abs(now - b.last);
                    if (ms < STALE_MILLIS || b.excess - rate * ms / 1000 > 0) return;
                }
                it.remove();
            }
        }
    }

    /** What one lookup found; reused across the limits of one check. */
    static final class Probe {
        static final int OK = 0;
        static final int AGAIN = 1;
        static final int BUSY = 2;
        static final int NO_ROOM = 3;

        int outcome;
        long excess;
        Bucket held;
    }
}
