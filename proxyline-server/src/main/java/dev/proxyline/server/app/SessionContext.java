package dev.proxyline.server.app;

import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.netty.HeaderPolicy;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyAttributes;
import dev.proxyline.server.limit.SessionLimits;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.SessionTls;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The variables' view of one accepted connection while it runs: serial number, the PROXY stage's
 * result, the upstream attempts. Snapshots of it render the hash key and the PROXY header sent
 * upstream (at connect time) and the access log line (at the end). On the channel path it lives on the
 * client channel ({@link #KEY}); a raw session holds its own ({@link #detached}). Touched only on the
 * connection's event loop.
 */
final class SessionContext {
    /** The channel attribute holding the context; the only place its key is defined. */
    static final AttributeKey<SessionContext> KEY = AttributeKey.valueOf(SessionContext.class, "session");

    private static final InetSocketAddress UNKNOWN = new InetSocketAddress(0);

    private final long connection;
    private final SocketAddress peer;
    private final SocketAddress local;
    private final Clock clock;
    private final long startMillis;
    private final List<UpstreamAttempt> attempts = new ArrayList<>(2);
    private ProxiedConnection proxied;
    private long connectedAtMillis = -1;
    private boolean relayed;
    private SessionLimits.Check limits; // null unless the server has limit_conn
    private ClientHello preread; // null unless ssl_preread found a hello (or the session ended in the middle of one)
    private SessionTls tls; // null unless the listen has ssl and its handshake completed

    private SessionContext(long connection, SocketAddress peer, SocketAddress local, Clock clock) {
        this.connection = connection;
        this.peer = peer;
        this.local = local;
        this.clock = clock;
        this.startMillis = clock.millis();
    }

    /** Attaches a new context to a just accepted {@code channel}. */
    static SessionContext attach(Channel channel, long connection, Clock clock) {
        SessionContext context = new SessionContext(connection, orUnknown(channel.remoteAddress()),
                orUnknown(channel.localAddress()), clock);
        channel.attr(KEY).set(context);
        return context;
    }

    /** A new context for a connection without a channel (the raw stream path). */
    static SessionContext detached(long connection, SocketAddress peer, SocketAddress local, Clock clock) {
        return new SessionContext(connection, orUnknown(peer), orUnknown(local), clock);
    }

    /** The context of {@code channel}. */
    static SessionContext of(Channel channel) {
        return Objects.requireNonNull(channel.attr(KEY).get(), "channel without a session context");
    }

    /** Takes in what the PROXY stage found, if it ran; call when the relay takes over. */
    void proxyStageDone(Channel channel) {
        relayed = true;
        proxied = channel.attr(ProxyAttributes.CONNECTION).get();
    }

    /** As {@link #proxyStageDone(Channel)}, with what the stage found handed over ({@code empty}: no stage ran). */
    void proxyStageDone(Optional<ProxiedConnection> stage) {
        relayed = true;
        proxied = stage.orElse(null);
    }

    /** The client as the PROXY stage left it: the header's source when trusted, otherwise the peer. */
    SocketAddress client() {
        return proxied != null ? proxied.client() : peer;
    }

    /** The address the client connected to. */
    SocketAddress local() {
        return local;
    }

    /** What {@code limit_conn} found for the session: {@code $limit_conn_status}, and the counts it holds. */
    void limited(SessionLimits.Check check) {
        limits = check;
    }

    /** What {@code ssl_preread} found, for its variables; empty leaves them not found. */
    void preread(Optional<ClientHello> hello) {
        preread = hello.orElse(null);
    }

    /** What the TLS handshake of a {@code listen ... ssl} settled, for the {@code $ssl_*} variables. */
    void tls(SessionTls handshake) {
        tls = handshake;
    }

    /** The session is over (or refused): it no longer counts against {@code limit_conn}. Idempotent. */
    void releaseLimits() {
        if (limits != null) {
            limits.release();
        }
    }

    /** True once the relay took the connection over; false for one an earlier stage closed. */
    boolean relayed() {
        return relayed;
    }

    /**
     * True for a health check of the balancer in front: a trusted PROXY v2 LOCAL header (HAProxy's
     * {@code check-send-proxy}) and then not one byte from the client. Such a connection carries no
     * client, so an access log line for it would only count the balancer's probes as client traffic.
     */
    boolean healthCheck(SessionOutcome outcome) {
        // Only a trusted balancer's LOCAL counts: an untrusted source must not be able to hide from the log.
        return outcome.bytesReceived() == 0 && proxied != null
                && (proxied.policy() == HeaderPolicy.REQUIRE || proxied.policy() == HeaderPolicy.OPTIONAL)
                && proxied.header().filter(header -> header.command() == Command.LOCAL).isPresent();
    }

    /** Records an attempt that failed, or the group name when no live server was left. */
    void failedAttempt(String address) {
        attempts.add(UpstreamAttempt.failed(address));
    }

    /** Records the attempt that connected, after {@code connectMillis}. */
    void connectedAttempt(String address, long connectMillis) {
        attempts.add(UpstreamAttempt.connected(address, connectMillis));
        connectedAtMillis = clock.millis();
    }

    /** The facts so far, for the hash key and the PROXY header sent upstream. */
    SessionSnapshot now() {
        return snapshot(0, 0, 0);
    }

    /** The facts at the end of the session, for the access log. */
    SessionSnapshot finished(SessionOutcome outcome) {
        int last = attempts.size() - 1;
        if (connectedAtMillis >= 0 && last >= 0) {
            // The connected attempt is the last one; its traffic is the session's upstream side.
            attempts.set(last, attempts.get(last).finished(UpstreamAttempt.NONE, clock.millis() - connectedAtMillis,
                    outcome.upstreamBytesSent(), outcome.upstreamBytesReceived()));
        }
        return snapshot(outcome.bytesSent(), outcome.bytesReceived(), outcome.status().code());
    }

    /** The facts of a connection an earlier stage refused with {@code status}, for the access log. */
    SessionSnapshot refused(int status) {
        return snapshot(0, 0, status);
    }

    private SessionSnapshot snapshot(long bytesSent, long bytesReceived, int status) {
        SessionSnapshot.Builder facts = SessionSnapshot.builder(connection, peer, local).startMillis(startMillis)
                .bytesSent(bytesSent).bytesReceived(bytesReceived).status(status);
        if (proxied != null) {
            facts.proxied(proxied);
        }
        if (limits != null) {
            facts.limitConnStatus(limits.status());
        }
        if (preread != null) {
            facts.preread(preread);
        }
        if (tls != null) {
            facts.tls(tls);
        }
        attempts.forEach(facts::upstream);
        return facts.snapshot(clock.millis());
    }

    private static SocketAddress orUnknown(SocketAddress address) {
        return address != null ? address : UNKNOWN;
    }
}
