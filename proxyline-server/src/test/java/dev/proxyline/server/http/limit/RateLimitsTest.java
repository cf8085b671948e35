package dev.proxyline.server.http.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** nginx's leaky bucket, request by request, on a clock the test moves. */
class RateLimitsTest {
    private static final long PER_SECOND = 1000;
    private static final long NODELAY = (long) Integer.MAX_VALUE * 1000;

    private final AtomicLong now = new AtomicLong(5_000_000);

    private LeakyBucketZone zone(String name, long rate) {
        return new LeakyBucketZone(name, 1 << 20, rate, now::get);
    }

    private static RateLimits one(LeakyBucketZone zone, int burst, long delay) {
        return new RateLimits(List.of(new RateLimits.Limit(zone, burst * 1000L, delay)));
    }

    private static String verdicts(RateLimits limits, int requests, String... keys) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < requests; i++) out.add(describe(limits.check(keys)));
        return String.join(" ", out);
    }

    private static String describe(RateLimits.Verdict v) {
        return switch (v.kind()) {
            case DELAYED -> "DELAYED(" + v.excess() + "," + v.delayMillis() + "ms)";
            case REJECTED -> "REJECTED(" + v.excess() + ")";
            default -> v.kind().name();
        };
    }

    @Test
    void withoutBurstASecondRequestWithinTheRateIsRejectedUntilTheBucketHasDrained() {
        RateLimits limits = one(zone("one", PER_SECOND), 0, 0);
        assertThat(verdicts(limits, 2, "a")).isEqualTo("PASSED REJECTED(1000)");
        now.addAndGet(999);
        assertThat(describe(limits.check(new String[] {"a"}))).as("a rejection records nothing").isEqualTo("REJECTED(1)");
        now.addAndGet(1);
        assertThat(describe(limits.check(new String[] {"a"}))).isEqualTo("PASSED");
        assertThat(describe(limits.check(new String[] {"b"}))).as("another key has its own bucket").isEqualTo("PASSED");
    }

    @Test
    void aBurstDelaysEachRequestByWhatTheRateTakesToDrainItsExcessAndRejectsBeyond() {
        RateLimits limits = one(zone("one", PER_SECOND), 2, 0);
        assertThat(verdicts(limits, 4, "a")).isEqualTo("PASSED DELAYED(1000,1000ms) DELAYED(2000,2000ms) REJECTED(3000)");
    }

    @Test
    void nodelayPassesTheBurstAtOnce() {
        RateLimits limits = one(zone("one", PER_SECOND), 2, NODELAY);
        assertThat(verdicts(limits, 4, "a")).isEqualTo("PASSED PASSED PASSED REJECTED(3000)");
    }

    @Test
    void delayLetsThatManyPassAtOnceAndDelaysOnlyTheExcessBeyondIt() {
        RateLimits limits = one(zone("one", 2 * PER_SECOND), 3, 1000);
        assertThat(verdicts(limits, 5, "a"))
                .isEqualTo("PASSED PASSED DELAYED(2000,500ms) DELAYED(3000,1000ms) REJECTED(4000)");
    }

    @Test
    void theExcessDrainsAtTheRateWithMillisecondTime() {
        LeakyBucketZone zone = zone("one", 10 * PER_SECOND);
        RateLimits limits = one(zone, 5, NODELAY);
        verdicts(limits, 3, "a");
        assertThat(zone.excess("a")).isEqualTo(2000);
        now.addAndGet(150);
        assertThat(zone.excess("a")).isEqualTo(500);
        assertThat(describe(limits.check(new String[] {"a"}))).isEqualTo("PASSED");
        assertThat(zone.excess("a")).isEqualTo(1500);
        now.addAndGet(10_000);
        assertThat(zone.excess("a")).isZero();
        assertThat(zone.excess("unknown")).isEqualTo(-1);
    }

    @Test
    void perMinuteRatesKeepNginxsIntegerThousandths() {
        // 1r/m is 16 thousandths a second: a request drains after 62.5 s, not 60.
        LeakyBucketZone zone = zone("one", 1000 / 60);
        RateLimits limits = one(zone, 2, NODELAY);
        assertThat(verdicts(limits, 4, "a")).isEqualTo("PASSED PASSED PASSED REJECTED(3000)");
        now.addAndGet(60_000);
        assertThat(describe(limits.check(new String[] {"a"}))).isEqualTo("REJECTED(2040)");
        now.addAndGet(2_500);
        assertThat(describe(limits.check(new String[] {"a"}))).isEqualTo("PASSED");
    }

    @Test
    void anEmptyKeyIsNotLimited() {
        RateLimits limits = one(zone("one", PER_SECOND), 0, 0);
        assertThat(verdicts(limits, 3, "")).isEqualTo("NOT_LIMITED NOT_LIMITED NOT_LIMITED");
        RateLimits two = new RateLimits(List.of(new RateLimits.Limit(zone("a", PER_SECOND), 0, 0),
                new RateLimits.Limit(zone("b", PER_SECOND), 0, 0)));
        assertThat(verdicts(two, 2, "", "k")).as("the other limit still applies").isEqualTo("PASSED REJECTED(1000)");
        assertThat(verdicts(two, 2, "k", "")).isEqualTo("PASSED REJECTED(1000)");
    }

    @Test
    void withSeveralLimitsTheLongestDelayAppliesAndSaysWhichLimitAskedForIt() {
        RateLimits limits = new RateLimits(List.of(new RateLimits.Limit(zone("slow", PER_SECOND), 5000, 0),
                new RateLimits.Limit(zone("fast", 4 * PER_SECOND), 5000, 0)));
        limits.check(new String[] {"a", "a"});
        RateLimits.Verdict second = limits.check(new String[] {"a", "a"});
        assertThat(second.kind()).isEqualTo(RateLimits.Kind.DELAYED);
        assertThat(second.delayMillis()).isEqualTo(1000);
        assertThat(second.limit()).isZero();
        assertThat(second.excess()).isEqualTo(1000);
    }

    @Test
    void aLaterLimitsRejectionUndoesWhatTheEarlierOnesHeldForTheRequest() {
        LeakyBucketZone lenient = zone("lenient", PER_SECOND);
        LeakyBucketZone strict = zone("strict", PER_SECOND);
        RateLimits limits = new RateLimits(List.of(new RateLimits.Limit(lenient, 10_000, NODELAY),
                new RateLimits.Limit(strict, 0, 0)));
        assertThat(describe(limits.check(new String[] {"a", "a"}))).isEqualTo("PASSED");
        RateLimits.Verdict rejected = limits.check(new String[] {"a", "a"});
        assertThat(describe(rejected)).isEqualTo("REJECTED(1000)");
        assertThat(rejected.limit()).isEqualTo(1);
        assertThat(lenient.excess("a")).as("nothing recorded for the rejected request").isZero();
        assertThat(strict.excess("a")).isZero();
        // An earlier limit that rejects stops the check: the later zone never sees the request.
        RateLimits reversed = new RateLimits(List.of(new RateLimits.Limit(strict, 0, 0),
                new RateLimits.Limit(lenient, 10_000, NODELAY)));
        assertThat(describe(reversed.check(new String[] {"a", "b"}))).isEqualTo("REJECTED(1000)");
        assertThat(lenient.excess("b")).isEqualTo(-1);
    }

    @Test
    void aKeyNewToAnEarlierLimitStartsWithoutExcessLikeOneNewToTheLast() {
        LeakyBucketZone first = zone("first", PER_SECOND);
        RateLimits limits = new RateLimits(List.of(new RateLimits.Limit(first, 0, 0),
                new RateLimits.Limit(zone("second", PER_SECOND), 10_000, NODELAY)));
        assertThat(describe(limits.check(new String[] {"a", "a"}))).isEqualTo("PASSED");
        assertThat(first.excess("a")).isZero();
        assertThat(describe(limits.check(new String[] {"a", "a"}))).isEqualTo("REJECTED(1000)");
    }

    @Test
    void aFullZoneDropsItsLeastRecentlyUsedKey() {
        LeakyBucketZone zone = new LeakyBucketZone("small", 64 * LeakyBucketZone.BYTES_PER_KEY, PER_SECOND, now::get);
        assertThat(zone.capacity()).isEqualTo(64);
        RateLimits limits = one(zone, 0, 0);
        for (int i = 0; i < 64; i++) limits.check(new String[] {"k" + i});
        limits.check(new String[] {"k0"}); // used again: now the most recent
        assertThat(describe(limits.check(new String[] {"new"}))).isEqualTo("PASSED");
        assertThat(zone.size()).isEqualTo(64);
        assertThat(zone.excess("k0")).isNotNegative();
        assertThat(zone.excess("k1")).as("the least recently used key went").isEqualTo(-1);
        assertThat(zone.excess("k2")).isNotNegative();
    }

    @Test
    void keysUnusedForAMinuteAndDrainedGoTwoAtATimeWhenAKeyIsAdded() {
        LeakyBucketZone zone = new LeakyBucketZone("small", 64 * LeakyBucketZone.BYTES_PER_KEY, PER_SECOND, now::get);
        RateLimits limits = one(zone, 0, 0);
        for (int i = 0; i < 10; i++) limits.check(new String[] {"k" + i});
        now.addAndGet(59_999);
        limits.check(new String[] {"fresh"});
        assertThat(zone.size()).as("not a minute yet").isEqualTo(11);
        now.addAndGet(1);
        limits.check(new String[] {"fresher"});
        assertThat(zone.size()).isEqualTo(10);
        assertThat(zone.excess("k0")).isEqualTo(-1);
        assertThat(zone.excess("k1")).isEqualTo(-1);
        assertThat(zone.excess("k2")).isZero();
    }

    @Test
    void aZoneWhoseKeysAreAllHeldByChecksInProgressRefusesANewKey() {
        LeakyBucketZone zone = new LeakyBucketZone("small", 64 * LeakyBucketZone.BYTES_PER_KEY, PER_SECOND, now::get);
        LeakyBucketZone.Probe probe = new LeakyBucketZone.Probe();
        for (int i = 0; i < 64; i++) {
            zone.lookup("k" + i, 0, false, probe);
            assertThat(probe.outcome).isEqualTo(LeakyBucketZone.Probe.AGAIN);
        }
        RateLimits limits = one(zone, 0, 0);
        RateLimits.Verdict verdict = limits.check(new String[] {"new"});
        assertThat(verdict.kind()).isEqualTo(RateLimits.Kind.NO_ROOM);
        assertThat(verdict.limit()).isZero();
    }

    @Test
    void aSmallZoneIsOneStripeAndALargeOneKeepsWhatItsSizeHolds() {
        assertThat(new LeakyBucketZone("z", 32 << 10, PER_SECOND, now::get).capacity()).isEqualTo(256);
        assertThat(new LeakyBucketZone("z", 10 << 20, PER_SECOND, now::get).capacity()).isEqualTo(81_920);
    }

    @Test
    void checksFromSeveralThreadsOnOneKeyLoseNoRequest() throws Exception {
        LeakyBucketZone zone = zone("shared", PER_SECOND);
        RateLimits limits = new RateLimits(List.of(new RateLimits.Limit(zone("other", PER_SECOND), 1_000_000_000, NODELAY),
                new RateLimits.Limit(zone, 1_000_000_000, NODELAY)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) limits.check(new String[] {"a", "a"});
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertThat(zone.excess("a")).isEqualTo((4 * 2_000 - 1) * 1000L);
    }
}
