package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the connections of a PROXY listener: headers accepted (by version, LOCAL
 * apart), connections refused (by {@link Reason}), connections let through without a header. Safe
 * for every event loop to update at once; read by metrics.
 */
public final class ProxyCounters {
    private final Map<ProtocolVersion, LongAdder> accepted = new EnumMap<>(ProtocolVersion.class);
    private final Map<Reason, LongAdder> refused = new EnumMap<>(Reason.class);
    private final LongAdder local = new LongAdder();
    private final LongAdder withoutHeader = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();

    public ProxyCounters() {
        // Filled up front and never changed afterwards, so that reads need no locking.
        for (ProtocolVersion version : ProtocolVersion.values()) {
            accepted.put(version, new LongAdder());
        }
        for (Reason reason : Reason.values()) {
            refused.put(reason, new LongAdder());
        }
    }

    /** Counts a header that was accepted: a LOCAL one as {@link #local()}, any other by version. */
    public void accepted(ProxyHeader header) {
        if (header.command() == Command.LOCAL) {
            local.increment();
        } else {
            accepted.get(header.version()).increment();
        }
    }

    /** Counts a connection closed for {@code reason}. */
    public void refused(Reason reason) {
        refused.get(reason).increment();
    }

    /** Counts a connection from an {@link HeaderPolicy#OPTIONAL} source that came without a header. */
    public void withoutHeader() {
        withoutHeader.increment();
    }

    /** Counts a connection closed because of a fault on this side, such as a decoder exception. */
    public void internalError() {
        internalErrors.increment();
    }

    /** PROXY (not LOCAL) headers accepted in {@code version}. */
    public long acceptedCount(ProtocolVersion version) {
        return accepted.get(version).sum();
    }

    /** v2 LOCAL headers accepted (health checks of the balancer). */
    public long localCount() {
        return local.sum();
    }

    /** Connections closed for {@code reason}. */
    public long refusedCount(Reason reason) {
        return refused.get(reason).sum();
    }

    /** Connections closed for any reason. */
    public long refusedTotal() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Connections from OPTIONAL sources passed on without a header. */
    public long withoutHeaderCount() {
        return withoutHeader.sum();
    }

    /** Connections closed because of a fault on this side. */
    public long internalErrorCount() {
        return internalErrors.sum();
    }
}
