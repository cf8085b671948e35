package dev.proxyline.server.upstream;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told to; starts far from zero to catch origin assumptions. */
final class FakeClock implements LongSupplier {
    private long nanos = -1_000_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
