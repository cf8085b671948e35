package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.http.realip.AddressText;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.stream.raw.RawUpstreamConnect;
import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.FailureKind;
import dev.proxyline.server.upstream.Peer;
import dev.proxyline.server.upstream.Selection;
import dev.proxyline.server.upstream.Stop;
import dev.proxyline.server.upstream.StopReason;
import dev.proxyline.server.transport.RootCause;
import dev.proxyline.server.upstream.Verdict;
import io.netty.channel.ConnectTimeoutException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One session's way through its upstream group, whichever sockets carry it: which server to try next,
 * what a failed attempt costs the server (passive health) and whether {@code proxy_next_upstream}
 * allows another, the rate-limited line naming the failure, the attempts recorded for
 * {@code $upstream_addr} and {@code $upstream_connect_time}, and the peer released when the upstream
 * closes (which keeps {@code least_conn} counts right for the whole session). {@link GroupConnector}
 * drives it with channels, {@link RawUpstreamConnect} with raw sockets, so both say the same.
 *
 * <p>When no attempt succeeds the answer is an {@link UpstreamUnavailableException} whose message says
 * why ("no live upstreams", or the last connect error and why no further server was tried).
 */
final class GroupAttempts implements RawUpstreamConnect.Attempts {
    private final UpstreamPlan upstream;
    private final AttemptSequence attempts;
    private final SessionContext context;
    private final SocketAddress client;
    private final LongSupplier nanoClock;
    private final RejectionLog failures;
    private Peer peer;
    private long startedNanos;
    private String lastError;

    /**
     * Starts the sequence; call once the PROXY stage is done, so that a hash on {@code $remote_addr} sees
     * the real client.
     *
     * @param client    the socket's peer, as the failure lines name it
     * @param nanoClock measures {@code $upstream_connect_time}
     * @param failures  where failed connection attempts are reported, rate-limited
     */
    GroupAttempts(UpstreamPlan upstream, SessionContext context, SocketAddress client, LongSupplier nanoClock,
                  RejectionLog failures) {
        this.upstream = upstream;
        this.context = context;
        this.client = client;
        this.nanoClock = nanoClock;
        this.failures = failures;
        this.attempts = upstream.begin(context::now);
    }

    @Override
    public Next next() {
        Selection selection = attempts.next();
        if (selection instanceof Stop stop) {
            if (stop.reason() == StopReason.NO_LIVE_UPSTREAMS) {
                // As nginx's $upstream_addr: the group's name stands for the server it could not find.
                context.failedAttempt(upstream.group().name());
            }
            return new GiveUp(new UpstreamUnavailableException(
                    lastError == null ? stop.message() : lastError + "; " + stop.message()));
        }
        peer = ((Selection.Chosen) selection).peer();
        startedNanos = nanoClock.getAsLong();
        return new Connect(peer.address());
    }

    @Override
    public void connected() {
        context.connectedAttempt(peer.name(), TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startedNanos));
    }

    @Override
    public Next failed(Throwable cause, boolean clientActive) {
        context.failedAttempt(peer.name());
        FailureKind kind;
        String error;
        if (cause instanceof UpstreamHandshakeException handshake) {
            kind = handshake.timedOut() ? FailureKind.TIMEOUT : FailureKind.ERROR;
            // nginx's words and addresses for it.
            error = handshake.getMessage() + " while SSL handshaking to upstream, client: "
                    + AddressText.addr(context.client()) + ", server: " + Addresses.format(context.local())
                    + ", upstream: \"" + peer.name() + "\"";
        } else {
            kind = cause instanceof ConnectTimeoutException ? FailureKind.TIMEOUT : FailureKind.ERROR;
            error = (kind == FailureKind.TIMEOUT ? "upstream timed out" : "connect() failed")
                    + " (" + RootCause.message(cause) + ") while connecting to upstream " + peer.name()
                    + ", client " + Addresses.format(client);
        }
        // An unreachable upstream is an operational event, not a bug of ours: one line, no trace,
        // and rate-limited, since a dead server fails every session sent its way.
        failures.refused(error);
        Verdict verdict = attempts.fail(kind);
        if (verdict instanceof Verdict.Retry && clientActive) {
            lastError = error;
            return next();
        } else if (verdict instanceof Stop stop) {
            return new GiveUp(new UpstreamUnavailableException(error + "; " + stop.message()));
        }
        return new GiveUp(new UpstreamUnavailableException(error + "; the client went away"));
    }

    @Override
    public void released() {
        attempts.succeed();
    }
}
