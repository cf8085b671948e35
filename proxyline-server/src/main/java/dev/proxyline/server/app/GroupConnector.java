package dev.proxyline.server.app;

import dev.proxyline.server.stream.UpstreamConnector;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.upstream.AttemptSequence;
import dev.proxyline.server.upstream.FailureKind;
import dev.proxyline.server.upstream.Peer;
import dev.proxyline.server.upstream.Selection;
import dev.proxyline.server.upstream.Stop;
import dev.proxyline.server.upstream.StopReason;
import dev.proxyline.server.upstream.Verdict;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Connects a session to a server of an upstream group ({@link UpstreamPlan}): balancing, passive health and
 * {@code proxy_next_upstream} retries on connect failure or {@code proxy_connect_timeout}, each
 * attempt through the {@link UpstreamBootstrap} (so on the client's event loop, with
 * {@code proxy_bind}). The peer is released ({@link AttemptSequence#succeed()}) when the upstream
 * connection closes, which keeps {@code least_conn} counts right for the whole session.
 *
 * <p>When no attempt succeeds the future fails with an {@link UpstreamUnavailableException} whose
 * message says why ("no live upstreams", or the last connect error and why no further server was
 * tried); the relay then ends the session with {@code $status} 502, as nginx's stream proxy does for
 * both.
 */
final class GroupConnector implements UpstreamConnector {
    private final UpstreamPlan upstream;
    private final UpstreamBootstrap bootstrap;
    private final LongSupplier nanoClock;
    private final RejectionLog failures;

    /**
     * @param upstream  the group, hash key and {@code proxy_next_upstream} policy
     * @param bootstrap connects with {@code proxy_connect_timeout} and {@code proxy_bind}
     * @param nanoClock measures {@code $upstream_connect_time}
     * @param failures  where failed connection attempts are reported, rate-limited
     */
    GroupConnector(UpstreamPlan upstream, UpstreamBootstrap bootstrap, LongSupplier nanoClock, RejectionLog failures) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.failures = Objects.requireNonNull(failures, "failures");
    }

    @Override
    public Future<Channel> connect(Channel client) {
        Promise<Channel> promise = client.eventLoop().newPromise();
        // The snapshot is taken after the PROXY stage, so a hash on $remote_addr sees the real client.
        AttemptSequence attempts = upstream.begin(SessionContext.of(client)::now);
        attempt(client, attempts, promise, null);
        return promise;
    }

    private void attempt(Channel client, AttemptSequence attempts, Promise<Channel> promise, String lastError) {
        Selection selection = attempts.next();
        if (selection instanceof Stop stop) {
            if (stop.reason() == StopReason.NO_LIVE_UPSTREAMS) {
                // As nginx's $upstream_addr: the group's name stands for the server it could not find.
                SessionContext.of(client).failedAttempt(upstream.group().name());
            }
            promise.tryFailure(new UpstreamUnavailableException(
                    lastError == null ? stop.message() : lastError + "; " + stop.message()));
            return;
        }
        Peer peer = ((Selection.Chosen) selection).peer();
        long started = nanoClock.getAsLong();
        ChannelFuture connect;
        try {
            // The relay installs its own handler once connected.
            connect = bootstrap.connect(client, peer.address());
        } catch (RuntimeException e) {
            onFailure(client, attempts, promise, peer, e);
            return;
        }
        connect.addListener(done -> {
            if (done.isSuccess()) {
                long millis = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - started);
                SessionContext.of(client).connectedAttempt(peer.name(), millis);
                Channel upstream = connect.channel();
                upstream.closeFuture().addListener(closed -> attempts.succeed());
                if (!promise.trySuccess(upstream)) {
                    upstream.close();
                }
            } else {
                onFailure(client, attempts, promise, peer, done.cause());
            }
        });
    }

    private void onFailure(Channel client, AttemptSequence attempts, Promise<Channel> promise, Peer peer,
                           Throwable cause) {
        SessionContext.of(client).failedAttempt(peer.name());
        FailureKind kind = cause instanceof ConnectTimeoutException ? FailureKind.TIMEOUT : FailureKind.ERROR;
        String error = (kind == FailureKind.TIMEOUT ? "upstream timed out" : "connect() failed")
                + " (" + rootMessage(cause) + ") while connecting to upstream " + peer.name()
                + ", client " + Addresses.format(client.remoteAddress());
        // An unreachable upstream is an operational event, not a bug of ours: one line, no trace,
        // and rate-limited, since a dead server fails every session sent its way.
        failures.refused(error);
        Verdict verdict = attempts.fail(kind);
        if (verdict instanceof Verdict.Retry && client.isActive()) {
            attempt(client, attempts, promise, error);
        } else if (verdict instanceof Stop stop) {
            promise.tryFailure(new UpstreamUnavailableException(error + "; " + stop.message()));
        } else {
            promise.tryFailure(new UpstreamUnavailableException(error + "; the client went away"));
        }
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
