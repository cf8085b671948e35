package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** nginx's ssl_ocsp_cache rules on a clock the test moves. */
class OcspStatusCacheTest {
    private final ManualClock clock = new ManualClock();
    private final OcspStatusCache cache = new OcspStatusCache(1 << 20, clock);

    @Test
    void revokedAndUnknownAnswersAreKeptAsWellAsGoodOnes() {
        Optional<Instant> next = Optional.of(clock.instant().plus(Duration.ofDays(1)));
        cache.store("good", OcspExchange.Status.GOOD, next);
        cache.store("revoked", OcspExchange.Status.REVOKED, next);
        cache.store("unknown", OcspExchange.Status.UNKNOWN, next);
        assertThat(cache.lookup("good")).contains(OcspExchange.Status.GOOD);
        assertThat(cache.lookup("revoked")).contains(OcspExchange.Status.REVOKED);
        assertThat(cache.lookup("unknown")).contains(OcspExchange.Status.UNKNOWN);
        assertThat(cache.lookup("never asked")).isEmpty();
    }

    @Test
    void anAnswerIsKeptUntilItsNextUpdateAndDroppedThen() {
        cache.store("k", OcspExchange.Status.REVOKED, Optional.of(clock.instant().plus(Duration.ofMinutes(10))));
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(cache.lookup("k")).contains(OcspExchange.Status.REVOKED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup("k")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anAnswerWithoutNextUpdateIsKeptAnHour() {
        cache.store("k", OcspExchange.Status.GOOD, Optional.empty());
        clock.advance(Duration.ofMinutes(59));
        assertThat(cache.lookup("k")).contains(OcspExchange.Status.GOOD);
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.lookup("k")).isEmpty();
    }

    @Test
    void anAnswerWhoseNextUpdateHasPassedIsNotKept() {
        // still within the five minutes of leeway the checks allow, but nothing to keep
        cache.store("k", OcspExchange.Status.GOOD, Optional.of(clock.instant().minusSeconds(60)));
        assertThat(cache.lookup("k")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aNewerAnswerReplacesTheOlder() {
        cache.store("k", OcspExchange.Status.GOOD, Optional.empty());
        cache.store("k", OcspExchange.Status.REVOKED, Optional.empty());
        assertThat(cache.lookup("k")).contains(OcspExchange.Status.REVOKED);
        assertThat(cache.size()).isOne();
    }

    @Test
    void aFullZoneGivesUpTheAnswerStoredLongestAgo() {
        OcspStatusCache small = new OcspStatusCache(3L * OcspStatusCache.ENTRY_BYTES, clock);
        small.store("a", OcspExchange.Status.GOOD, Optional.empty());
        small.store("b", OcspExchange.Status.GOOD, Optional.empty());
        small.store("c", OcspExchange.Status.GOOD, Optional.empty());
        assertThat(small.lookup("a")).isPresent(); // a look does not make an answer younger, as in nginx
        small.store("d", OcspExchange.Status.REVOKED, Optional.empty());
        assertThat(small.lookup("a")).isEmpty();
        assertThat(small.lookup("b")).isPresent();
        assertThat(small.lookup("d")).contains(OcspExchange.Status.REVOKED);
        assertThat(small.size()).isEqualTo(3);
    }
}
