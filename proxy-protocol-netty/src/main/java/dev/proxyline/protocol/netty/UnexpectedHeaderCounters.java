package dev.proxyline.protocol.netty;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many connections of a listener without {@code proxy_protocol} started with a PROXY header
 * (and were refused), by protocol version. Safe for every event loop to update at once; read by
 * metrics.
 */
public final class UnexpectedHeaderCounters {
    private final LongAdder v1 = new LongAdder();
    private final LongAdder v2 = new LongAdder();

    void v1() {
        v1.increment();
    }

    void v2() {
        v2.increment();
    }

    /** Connections that started with a v1 header ({@code PROXY TCP4 }, {@code TCP6 }, {@code UNKNOWN}). */
    public long v1Count() {
        return v1.sum();
    }

    /** Connections that started with the v2 signature. */
    public long v2Count() {
        return v2.sum();
    }

    /** Connections that started with a PROXY header of either version. */
    public long total() {
        return v1.sum() + v2.sum();
    }
}
