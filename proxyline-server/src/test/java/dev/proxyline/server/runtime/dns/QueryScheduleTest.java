package dev.proxyline.server.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where and when one lookup's queries go, on a clock the test moves. */
class QueryScheduleTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void anUnansweredQueryGoesToTheNextServerEveryFiveSecondsUntilTheTimeout() {
        QuerySchedule schedule = new QuerySchedule(3, 2, 0, Duration.ofSeconds(12));
        assertThat(schedule.server()).isEqualTo(2);
        assertThat(schedule.nanosToNextEvent(0)).isEqualTo(5 * SECOND);
        assertThat(schedule.resendDue(5 * SECOND - 1)).isFalse();
        assertThat(schedule.resendDue(5 * SECOND)).isTrue();
        assertThat(schedule.server()).as("wraps around").isZero();
        assertThat(schedule.resendDue(10 * SECOND)).isTrue();
        assertThat(schedule.server()).isEqualTo(1);
        assertThat(schedule.nanosToNextEvent(10 * SECOND)).as("the deadline comes first").isEqualTo(2 * SECOND);
        assertThat(schedule.expired(12 * SECOND - 1)).isFalse();
        assertThat(schedule.expired(12 * SECOND)).isTrue();
    }

    @Test
    void aTimeoutShorterThanTheResendEndsTheLookupWithoutOne() {
        QuerySchedule schedule = new QuerySchedule(2, 0, 7, Duration.ofSeconds(1));
        assertThat(schedule.nanosToNextEvent(7)).isEqualTo(SECOND);
        assertThat(schedule.expired(7 + SECOND)).isTrue();
        assertThat(schedule.nanosToNextEvent(7 + 2 * SECOND)).isZero();
    }

    @Test
    void oneServerIsAskedAgainItself() {
        QuerySchedule schedule = new QuerySchedule(1, 0, 0, Duration.ofSeconds(30));
        assertThat(schedule.resendDue(5 * SECOND)).isTrue();
        assertThat(schedule.server()).isZero();
    }

    @Test
    void theFirstServerMustBeOneOfThem() {
        assertThatThrownBy(() -> new QuerySchedule(2, 2, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
