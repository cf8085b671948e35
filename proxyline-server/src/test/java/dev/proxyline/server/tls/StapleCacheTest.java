package dev.proxyline.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** nginx's stapling schedule on a clock the test moves. */
class StapleCacheTest {
    private static final byte[] FIRST = {1};
    private static final byte[] SECOND = {2};

    private final ManualClock clock = new ManualClock();
    private final StapleCache cache = new StapleCache(clock);

    @Test
    void nothingIsStapledAndTheFirstFetchIsDueAtOnce() {
        assertThat(cache.current()).isNull();
        assertThat(cache.refreshDue()).isTrue();
        assertThat(cache.untilNextRun()).isZero();
    }

    @Test
    void aResponseValidForLongIsRefreshedAfterAnHour() {
        cache.accepted(FIRST, Optional.of(clock.instant().plus(Duration.ofDays(7))));
        assertThat(cache.current()).isSameAs(FIRST);
        assertThat(cache.refreshDue()).isFalse();
        assertThat(cache.untilNextRun()).isEqualTo(Duration.ofHours(1));
        clock.advance(Duration.ofHours(1));
        assertThat(cache.refreshDue()).isTrue();
    }

    @Test
    void aResponseWithoutNextUpdateIsKeptAndRefreshedHourly() {
        cache.accepted(FIRST, Optional.empty());
        clock.advance(Duration.ofDays(400));
        cache.expire();
        assertThat(cache.current()).isSameAs(FIRST);
        assertThat(cache.refreshDue()).isTrue();
    }

    @Test
    void aResponseExpiringSoonIsRefreshedFiveMinutesBeforeItsNextUpdate() {
        cache.accepted(FIRST, Optional.of(clock.instant().plus(Duration.ofMinutes(30))));
        assertThat(cache.untilNextRun()).isEqualTo(Duration.ofMinutes(25));
    }

    @Test
    void neverSoonerThanFiveMinutesEvenForAResponseAboutToExpire() {
        cache.accepted(FIRST, Optional.of(clock.instant().plus(Duration.ofMinutes(2))));
        // The staple's expiry comes first: it is looked at then, and dropped.
        assertThat(cache.untilNextRun()).isEqualTo(Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        cache.expire();
        assertThat(cache.current()).isNull();
        assertThat(cache.refreshDue()).isFalse();
        assertThat(cache.untilNextRun()).isEqualTo(Duration.ofMinutes(3).minusSeconds(1));
    }

    @Test
    void aFailureRetriesInFiveMinutesAndKeepsTheValidStaple() {
        cache.accepted(FIRST, Optional.of(clock.instant().plus(Duration.ofHours(3))));
        clock.advance(Duration.ofHours(1));
        cache.failed();
        assertThat(cache.current()).isSameAs(FIRST);
        assertThat(cache.untilNextRun()).isEqualTo(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        cache.accepted(SECOND, Optional.of(clock.instant().plus(Duration.ofHours(3))));
        assertThat(cache.current()).isSameAs(SECOND);
    }

    @Test
    void aStapleIsDroppedAtItsNextUpdateWhenNoNewOneCame() {
        cache.accepted(FIRST, Optional.of(clock.instant().plus(Duration.ofMinutes(20))));
        clock.advance(Duration.ofMinutes(15));
        cache.failed();
        clock.advance(Duration.ofMinutes(5));
        cache.expire();
        assertThat(cache.current()).isSameAs(FIRST); // valid up to and including its nextUpdate, as in nginx
        clock.advance(Duration.ofSeconds(1));
        cache.expire();
        assertThat(cache.current()).isNull();
    }
}
