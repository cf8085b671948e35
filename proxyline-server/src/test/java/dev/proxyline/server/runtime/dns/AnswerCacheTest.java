package dev.proxyline.server.runtime.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Found names kept for their TTL or {@code valid=}, on a clock the test moves. */
class AnswerCacheTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final List<InetAddress> ADDRESSES = List.of(InetAddress.getLoopbackAddress());

    @Test
    void aNameIsKeptForItsTtlThenAskedAgain() {
        AnswerCache cache = new AnswerCache(Optional.empty());
        long t0 = 1_000 * SECOND;
        cache.put("a.test", ADDRESSES, 30, t0);
        assertThat(cache.get("a.test", t0 + 29 * SECOND)).contains(ADDRESSES);
        assertThat(cache.get("a.test", t0 + 30 * SECOND)).isEmpty();
        assertThat(cache.get("a.test", t0 + 29 * SECOND)).as("an expired entry is dropped").isEmpty();
    }

    @Test
    void validOverridesTheTtlBothWays() {
        AnswerCache cache = new AnswerCache(Optional.of(Duration.ofSeconds(5)));
        cache.put("short.test", ADDRESSES, 1, 0);
        cache.put("long.test", ADDRESSES, 3600, 0);
        assertThat(cache.get("short.test", 4 * SECOND)).contains(ADDRESSES);
        assertThat(cache.get("long.test", 5 * SECOND)).isEmpty();
    }

    @Test
    void aZeroTtlKeepsNothingAndTheClockMayWrap() {
        AnswerCache cache = new AnswerCache(Optional.empty());
        cache.put("zero.test", ADDRESSES, 0, 0);
        assertThat(cache.get("zero.test", 0)).isEmpty();
        long nearWrap = Long.MAX_VALUE - SECOND;
        cache.put("wrap.test", ADDRESSES, 10, nearWrap);
        assertThat(cache.get("wrap.test", nearWrap + 5 * SECOND)).contains(ADDRESSES);
    }

    @Test
    void manyExpiredNamesAreSweptWhenANewOneIsKept() {
        AnswerCache cache = new AnswerCache(Optional.empty());
        for (int i = 0; i < 2000; i++) cache.put("n" + i + ".test", ADDRESSES, 1, 0);
        cache.put("fresh.test", ADDRESSES, 60, 2 * SECOND);
        assertThat(cache.get("fresh.test", 2 * SECOND)).contains(ADDRESSES);
        assertThat(cache.get("n1999.test", 0)).as("swept though asked at an earlier time").isEmpty();
    }
}
