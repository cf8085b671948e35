package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;

/**
 * The variables' view of one accepted connection while it runs: serial number, the PROXY stage's
 * result, the upstream attempts. Snapshots of it render the hash key and the PROXY header sent
 * upstream (at connect time) and the access log line (at the end). Lives on the client channel
 * ({@link #KEY}); touched only on that channel's event loop.
 */
final class SessionContext {
    /** The channel attribute holding the context; the only place its key is defined. */
    static final AttributeKey<SessionContext> KEY = AttributeKey.valueOf(SessionContext.class, "session");

    private static final InetSocketAddress UNKNOWN = new InetSocketAddress(0);

    private final SessionSnapshot.Builder facts;
    private final Clock clock;
    private boolean relayed;

    private SessionContext(SessionSnapshot.Builder facts, Clock clock) {
        this.facts = facts;
        this.clock = clock;
    }

    /** Attaches a new context to a just accepted {@code channel}. */
    static SessionContext attach(Channel channel, long connection, Clock clock) {
        SessionContext context = new SessionContext(SessionSnapshot.builder(connection,
                orUnknown(channel.remoteAddress()), orUnknown(channel.localAddress())), clock);
        context.facts.startMillis(clock.millis());
        channel.attr(KEY).set(context);
        return context;
    }

    /** The context of {@code channel}. */
    static SessionContext of(Channel channel) {
        return Objects.requireNonNull(channel.attr(KEY).get(), "channel without a session context");
    }

    /** Takes in what the PROXY stage found, if it ran; call when the relay takes over. */
    void proxyStageDone(Channel channel) {
        relayed = true;
        ProxiedConnection proxied = channel.attr(ProxyAttributes.CONNECTION).get();
        if (proxied != null) {
            facts.proxied(proxied);
        }
    }

    void attempt(UpstreamAttempt attempt) {
        facts.upstream(attempt);
    }

    /** The facts so far, for the hash key and the PROXY header sent upstream. */
    SessionSnapshot now() {
        return facts.snapshot(clock.millis());
    }

    /** The facts at the end of the session, for the access log. */
    SessionSnapshot finished(SessionOutcome outcome) {
        return facts.bytesSent(outcome.bytesSent())
                .bytesReceived(outcome.bytesReceived())
                .status(outcome.status().code())
                .snapshot(clock.millis());
    }

    /** True once the relay took the connection over; false for one an earlier stage closed. */
    boolean relayed() {
        return relayed;
    }

    /** The facts of a connection an earlier stage refused with {@code status}, for the access log. */
    SessionSnapshot refused(int status) {
        return facts.status(status).snapshot(clock.millis());
    }

    private static java.net.SocketAddress orUnknown(java.net.SocketAddress address) {
        return address != null ? address : UNKNOWN;
    }
}
