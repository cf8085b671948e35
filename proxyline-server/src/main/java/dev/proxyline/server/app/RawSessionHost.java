package dev.proxyline.server.app;

import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.stream.raw.RawStreamSession;
import dev.proxyline.server.stream.raw.RawUpstreamConnect;
import io.netty.channel.IoEventLoop;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The server's side of one raw stream session: its {@link SessionContext}, its upstream policy
 * ({@link GroupAttempts}), its preface, and its end reported to the {@link StreamService} and to
 * {@link LiveSessions}. Touched on the session's event loop, but {@link #cut()}.
 */
final class RawSessionHost implements RawStreamSession.Host, LiveSessions.Detached {
    private static final byte[] NO_PREFACE = new byte[0];

    private final RawStreamFront front;
    private final SessionContext context;
    private final IoEventLoop loop;
    private final InetSocketAddress remote;
    private RawStreamSession session;

    RawSessionHost(RawStreamFront front, SessionContext context, IoEventLoop loop, InetSocketAddress remote) {
        this.front = front;
        this.context = context;
        this.loop = loop;
        this.remote = remote;
    }

    /** The session this host serves, once started. */
    void started(RawStreamSession started) {
        this.session = started;
    }

    @Override
    public void cut() {
        // Read on the loop, where it was written.
        loop.execute(() -> {
            if (session != null) {
                session.cut();
            }
        });
    }

    @Override
    public boolean proxyStageDone(Optional<ProxiedConnection> proxied) {
        context.proxyStageDone(proxied);
        if (front.service.admits(context)) {
            return true;
        }
        front.sessions.remove(this);
        return false;
    }

    @Override
    public void prereadDone(Optional<ClientHello> hello) {
        context.preread(hello);
    }

    @Override
    public void prereadEnded(int status, Optional<ClientHello> hello, String why) {
        context.preread(hello);
        front.service.prereadEnded(context, status, why);
        front.sessions.remove(this);
    }

    @Override
    public RawUpstreamConnect.Attempts upstream() {
        return new GroupAttempts(front.upstream.planFor(context::now), context, remote, front.nanoClock,
                front.connectFailures);
    }

    @Override
    public byte[] preface() {
        return front.send.isEmpty() ? NO_PREFACE : StreamService.prefaceBytes(front.send.get(), context);
    }

    @Override
    public void refused(int status) {
        // Logged before it is untracked: a stop that saw the last session go closes the access logs.
        front.service.refusedBeforeRelay(context, status);
        front.sessions.remove(this);
    }

    @Override
    public void finished(SessionOutcome outcome) {
        front.service.finished(context, outcome);
        front.sessions.remove(this);
    }
}
