package dev.proxyline.protocol.netty;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Logs a diagnosis of a misconfiguration once per source address: a balancer that opens thousands
 * of connections gets one WARNING line (again after {@link Limits#remember()}), the repeats go to
 * DEBUG. Memory is bounded: the most recently warned {@link Limits#sources()} addresses are
 * remembered. A cap on WARNING lines per {@link Limits#window()} stops a scan from many addresses
 * from flooding the log; a source cut off by the cap is not remembered, so it is warned about in a
 * later window. Shared by all connections of a listener (or of several), thread-safe.
 */
public final class OncePerSourceLog {
    /**
     * @param sources        how many source addresses are remembered at most
     * @param remember       how long a warned source stays quiet
     * @param linesPerWindow the most WARNING lines in one window
     * @param window         the length of that window
     */
    public record Limits(int sources, Duration remember, int linesPerWindow, Duration window) {
        /** 4096 sources, each warned about once an hour, at most 20 lines a minute. */
        public static final Limits DEFAULT = new Limits(4096, Duration.ofHours(1), 20, Duration.ofMinutes(1));

        public Limits {
            Objects.requireNonNull(remember, "remember");
            Objects.requireNonNull(window, "window");
            if (sources < 1 || linesPerWindow < 1 || remember.isNegative() || remember.isZero()
                    || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("once-per-source limits must be positive: " + sources + " sources, "
                        + remember + ", " + linesPerWindow + " lines per " + window);
            }
        }
    }

    private final System.Logger logger;
    private final Limits limits;
    private final LongSupplier nanoClock;
    /** Source (an address, without the port) to when it was last warned about; oldest first. */
    private final LinkedHashMap<Object, Long> warnedAt;
    private long windowStart;
    private int linesInWindow;

    /**
     * @param logger    where lines go
     * @param limits    memory and rate bounds
     * @param nanoClock a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    public OncePerSourceLog(System.Logger logger, Limits limits, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.windowStart = nanoClock.getAsLong();
        this.warnedAt = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Long> eldest) {
                return size() > limits.sources();
            }
        };
    }

    /** {@link Limits#DEFAULT}, to the logger of this package. */
    public static OncePerSourceLog standard() {
        return new OncePerSourceLog(System.getLogger(OncePerSourceLog.class.getPackageName()), Limits.DEFAULT,
                System::nanoTime);
    }

    /**
     * Logs {@code message} about {@code peer}: at WARNING if the source was not warned about within
     * {@link Limits#remember()} and the window has room, at DEBUG otherwise.
     *
     * @return true when the line went out at WARNING
     */
    public boolean report(SocketAddress peer, String message) {
        boolean loud = takeTurn(source(peer));
        logger.log(loud ? Level.WARNING : Level.DEBUG, message);
        return loud;
    }

    private synchronized boolean takeTurn(Object source) {
        long now = nanoClock.getAsLong();
        Long last = warnedAt.get(source);
        if (last != null && now - last < limits.remember().toNanos()) {
            return false;
        }
        if (now - windowStart >= limits.window().toNanos()) {
            windowStart = now;
            linesInWindow = 0;
        }
        if (linesInWindow >= limits.linesPerWindow()) {
            return false;
        }
        linesInWindow++;
        // Removed first so that the source moves to the young end of the eviction order.
        warnedAt.remove(source);
        warnedAt.put(source, now);
        return true;
    }

    /** A connection's source is its address; the port changes with every connection. */
    private static Object source(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : peer;
    }
}
