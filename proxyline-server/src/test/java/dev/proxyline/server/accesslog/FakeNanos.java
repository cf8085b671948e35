package dev.proxyline.server.accesslog;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told to; starts just below the wrap of a long to catch overflow. */
final class FakeNanos implements LongSupplier {
    private long nanos = Long.MAX_VALUE - 1_000_000_000L;

    @Override
    public long getAsLong() {
        return nanos;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
