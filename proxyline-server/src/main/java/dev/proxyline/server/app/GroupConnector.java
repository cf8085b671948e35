package dev.proxyline.server.app;

import dev.proxyline.server.stream.UpstreamConnector;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.runtime.ComputedRoute;
import dev.proxyline.server.runtime.StreamRoute;
import dev.proxyline.server.runtime.UpstreamPlan;
import dev.proxyline.server.stream.SessionRejectedException;
import dev.proxyline.server.stream.UnroutableSessionException;
import dev.proxyline.server.stream.raw.RawUpstreamConnect.Attempts;
import dev.proxyline.server.transport.UpstreamBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Connects a session's channel to a server of an upstream group ({@link UpstreamPlan}) with the group's
 * policy ({@link GroupAttempts}: balancing, passive health, {@code proxy_next_upstream} retries on connect
 * failure or {@code proxy_connect_timeout}), each attempt through the {@link UpstreamBootstrap} (so on the
 * client's event loop, with {@code proxy_bind}), then the {@link AttemptSetup} if there is one ({@code proxy_ssl}'s
 * handshake), whose failure is retried as a failed connect is. The peer is released when the upstream channel closes.
 *
 * <p>With {@code proxy_pass} with variables the group is chosen per session ({@link StreamRoute}); a session the
 * route has nowhere for fails with a {@link SessionRejectedException} of the route's status (500, 502).
 *
 * <p>When no attempt succeeds the future fails with an {@link UpstreamUnavailableException}; the relay then
 * ends the session with {@code $status} 502, as nginx's stream proxy does.
 */
final class GroupConnector implements UpstreamConnector {
    private final StreamRoute upstream;
    private final UpstreamBootstrap bootstrap;
    private final LongSupplier nanoClock;
    private final RejectionLog failures;
    private final Optional<AttemptSetup> setup;

    /**
     * @param upstream  the group, hash key and {@code proxy_next_upstream} policy, or how to choose them
     * @param bootstrap connects with {@code proxy_connect_timeout} and {@code proxy_bind}
     * @param nanoClock measures {@code $upstream_connect_time}
     * @param failures  where failed connection attempts are reported, rate-limited
     * @param setup     what each connected server needs before the relay uses it, if anything
     */
    GroupConnector(StreamRoute upstream, UpstreamBootstrap bootstrap, LongSupplier nanoClock, RejectionLog failures,
                   Optional<AttemptSetup> setup) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.setup = Objects.requireNonNull(setup, "setup");
    }

    @Override
    public Future<Channel> connect(Channel client) {
        Promise<Channel> promise = client.eventLoop().newPromise();
        SessionContext context = SessionContext.of(client);
        // The snapshot is taken after the PROXY stage, so a hash on $remote_addr sees the real client.
        if (upstream instanceof ComputedRoute computed && computed.looksUp()) {
            // The value may be a name: the connect waits for its addresses.
            computed.planLater(client, context::now).addListener((Future<UpstreamPlan> planned) -> {
                // Cancellable only while the lookup runs: a client that left meanwhile gets no connect.
                if (!promise.setUncancellable()) return;
                if (planned.isSuccess()) {
                    start(client, context, planned.getNow(), promise);
                } else {
                    UnroutableSessionException e = (UnroutableSessionException) planned.cause();
                    promise.tryFailure(new SessionRejectedException(e.status(), e.getMessage()));
                }
            });
            return promise;
        }
        promise.setUncancellable();
        UpstreamPlan plan;
        try {
            plan = upstream.planFor(context::now);
        } catch (UnroutableSessionException e) {
            return promise.setFailure(new SessionRejectedException(e.status(), e.getMessage()));
        }
        start(client, context, plan, promise);
        return promise;
    }

    private void start(Channel client, SessionContext context, UpstreamPlan plan, Promise<Channel> promise) {
        GroupAttempts attempts = new GroupAttempts(plan, context, client.remoteAddress(), nanoClock, failures);
        attempt(client, attempts, attempts.next(), promise);
    }

    private void attempt(Channel client, GroupAttempts attempts, Attempts.Next next, Promise<Channel> promise) {
        if (next instanceof Attempts.GiveUp giveUp) {
            promise.tryFailure(giveUp.why());
            return;
        }
        ChannelFuture connect;
        // Read only for a setup, which gets what is left of proxy_connect_timeout.
        long startedNanos = setup.isPresent() ? nanoClock.getAsLong() : 0;
        try {
            // The relay installs its own handler once connected.
            connect = bootstrap.connect(client, ((Attempts.Connect) next).address());
        } catch (RuntimeException e) {
            attempt(client, attempts, attempts.failed(e, client.isActive()), promise);
            return;
        }
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                attempt(client, attempts, attempts.failed(done.cause(), client.isActive()), promise);
            } else if (setup.isEmpty()) {
                use(attempts, connect.channel(), promise);
            } else {
                Channel upstream = connect.channel();
                Duration connecting = Duration.ofNanos(nanoClock.getAsLong() - startedNanos);
                Future<Void> prepared;
                try {
                    prepared = setup.get().prepare(client, upstream, connecting);
                } catch (RuntimeException e) {
                    prepared = upstream.eventLoop().newFailedFuture(e);
                }
                prepared.addListener(ready -> {
                    if (ready.isSuccess()) {
                        use(attempts, upstream, promise);
                    } else {
                        upstream.close();
                        attempt(client, attempts, attempts.failed(ready.cause(), client.isActive()), promise);
                    }
                });
            }
        });
    }

    private static void use(GroupAttempts attempts, Channel upstream, Promise<Channel> promise) {
        attempts.connected();
        upstream.closeFuture().addListener(closed -> attempts.released());
        if (!promise.trySuccess(upstream)) {
            upstream.close();
        }
    }
}
