package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.runtime.ProxyHeaderBuilder;
import dev.proxyline.server.runtime.StreamRoute;
import dev.proxyline.server.stream.raw.RawStreamListener;
import dev.proxyline.server.stream.raw.RawStreamSession;
import dev.proxyline.server.transport.ConnectionSlots;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What a stream {@code listen} on raw descriptors does with each connection it accepts: gives it its
 * {@link SessionContext} and a {@link RawStreamSession} with this server's settings, registers it for draining,
 * and hands its end to the server's {@link StreamService}, as {@link ConnectionInitializer} does on channels.
 */
final class RawStreamFront implements RawStreamListener.Accepted {
    final RawStreamSession.Settings settings;
    final StreamRoute upstream;
    final Optional<ProxyHeaderBuilder> send;
    final StreamService service;
    final LiveSessions sessions;
    final LongSupplier nanoClock;
    final RejectionLog connectFailures;
    private final AtomicLong serials;
    private final Clock clock;

    /**
     * @param upstream        the group and its retry policy, or how to choose them per session
     * @param send            the header of {@code proxy_protocol on}, if set
     * @param nanoClock       measures {@code $upstream_connect_time}
     * @param connectFailures where failed connection attempts are reported, rate-limited
     * @param serials         the connection serial numbers, shared by every listen
     */
    RawStreamFront(RawStreamSession.Settings settings, StreamRoute upstream, Optional<ProxyHeaderBuilder> send,
                   StreamService service, LiveSessions sessions, AtomicLong serials, LongSupplier nanoClock,
                   RejectionLog connectFailures) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.send = Objects.requireNonNull(send, "send");
        this.service = Objects.requireNonNull(service, "service");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serials = Objects.requireNonNull(serials, "serials");
        this.clock = settings.clock();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.connectFailures = Objects.requireNonNull(connectFailures, "connectFailures");
    }

    @Override
    public void accepted(IoEventLoop loop, Socket socket, InetSocketAddress remote, InetSocketAddress local,
                         ConnectionSlots slots) {
        SessionContext context = SessionContext.detached(serials.incrementAndGet(), remote, local, clock);
        RawSessionHost host = new RawSessionHost(this, context, loop, remote);
        // Tracked before it starts: a session may end (and be untracked) before start returns.
        sessions.add(host);
        host.started(RawStreamSession.start(loop, socket, remote, local, slots, settings, host));
    }
}
