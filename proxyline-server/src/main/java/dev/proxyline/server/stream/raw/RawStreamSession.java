package dev.proxyline.server.stream.raw;

import dev.proxyline.config.SslPreread;
import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.server.stream.RelayOptions;
import dev.proxyline.server.stream.SessionEnd;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.SessionStatus;
import dev.proxyline.server.stream.SocketError;
import dev.proxyline.server.stream.UnroutableSessionException;
import dev.proxyline.server.stream.preread.ClientHello;
import dev.proxyline.server.stream.preread.PrereadBuffer;
import dev.proxyline.server.transport.ConnectionSlots;
import dev.proxyline.server.transport.UpstreamOptions;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One accepted connection of a stream {@code server} on raw descriptors, from accept to outcome, as the channel
 * path's {@code StreamProxy} runs it: the PROXY header first when the listen has {@code proxy_protocol}
 * ({@link RawHeaderReader}), then, with {@code ssl_preread on}, the client's bytes read until they are a TLS
 * ClientHello or not TLS ({@link PrereadBuffer}; they stay the first bytes for the upstream), then the upstream
 * connected ({@link RawUpstreamConnect}) while the client's first bytes are read (a {@code proxy_buffer_size}
 * buffer's worth at most), then the preface (the PROXY header of {@code proxy_protocol on}) and those bytes handed
 * to the {@link RawRelay}, then the same
 * {@link SessionOutcome} the channel relay reports: CONNECT_FAILED with {@code $status} 502, CLIENT_GONE,
 * the relay's end. The {@code worker_connections} slot is released once, when the session ends.
 *
 * <p>A client FIN while the upstream connects keeps the bytes read before it: they go out behind the preface.
 * With {@code proxy_half_close off} such a client counts as gone (no further server is tried for it), and one
 * that sent nothing ends the session CLIENT_GONE once the connect is done, as on the channel path.
 *
 * <p>Everything runs on the connection's event loop but {@link #cut()}.
 */
public final class RawStreamSession {

    /** The server's side of one session: its record of the facts, its upstream policy, where its end goes. */
    public interface Host {
        /**
         * The PROXY stage is done ({@code empty}: the listen has none); the facts include its result from now on.
         * False when {@code allow}/{@code deny} refuse the client: the host has logged it, the session closes the
         * connection, and this was the last call.
         */
        boolean proxyStageDone(Optional<ProxiedConnection> proxied);

        /** {@code ssl_preread} is done: what it found ({@code empty}: not TLS); the facts include it from now on. */
        void prereadDone(Optional<ClientHello> hello);

        /**
         * {@code ssl_preread} ended the session without an upstream, with {@code status} (400: the buffer filled up;
         * 200: the client closed, or the timeout passed); the client is closed. The last call.
         */
        void prereadEnded(int status, Optional<ClientHello> hello, String why);

        /**
         * The upstream group's policy for this session; asked once, after {@link #proxyStageDone} (and the preread).
         * An {@link UnroutableSessionException} ends the session with its status before any connect.
         */
        RawUpstreamConnect.Attempts upstream();

        /**
         * The bytes the upstream must see first (the PROXY header of {@code proxy_protocol on}, rendered from the
         * facts as they stand now), empty for none; asked once the upstream is connected. Throwing ends the
         * session with {@code $status} 502.
         */
        byte[] preface();

        /** The PROXY stage refused the connection with {@code status} (400, 403) and closed it. The last call. */
        void refused(int status);

        /** The session ended; both connections are closed. The last call. */
        void finished(SessionOutcome outcome);
    }

    /**
     * What every session of one stream {@code server} and {@code listen} shares.
     *
     * @param relay      {@code proxy_buffer_size}, {@code proxy_timeout}, {@code proxy_half_close}, splice
     * @param upstream   {@code proxy_connect_timeout}, {@code proxy_bind}
     * @param proxyStage the listen's PROXY stage, when it has {@code proxy_protocol}
     * @param preread    {@code ssl_preread} and its bounds ({@link SslPreread#OFF} for none)
     * @param clock      session start times and durations
     */
    public record Settings(RelayOptions relay, UpstreamOptions upstream, Optional<ProxyReceiveStage> proxyStage,
                           SslPreread preread, Clock clock) {
        public Settings {
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(proxyStage, "proxyStage");
            Objects.requireNonNull(preread, "preread");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private enum Phase { HEADER, PREREAD, CONNECTING, RELAY, DONE }

    private static final int READABLE = RawSocket.IN | RawSocket.RDHUP;
    private static final byte[] NONE = new byte[0];

    private final IoEventLoop loop;
    private final RawSocket client;
    private final InetSocketAddress remote;
    private final ConnectionSlots slots;
    private final Settings settings;
    private final Host host;
    /** The callbacks of the socket, the header reader, the connect and the relay, kept off the public API. */
    private final Events events = new Events();

    private Phase phase = Phase.HEADER;
    private RawHeaderReader header;
    /** The client's bytes while ssl_preread waits for the ClientHello; null in every other phase. */
    private PrereadBuffer preread;
    private ScheduledFuture<?> prereadDeadline;
    private RawUpstreamConnect connect;
    private RawUpstreamConnect.Attempts attempts;
    private RawRelay relay;

    private Instant start;
    private Instant connectStart;
    private Optional<Duration> connectTime = Optional.empty();
    private SocketAddress upstreamAddress;
    /** The client's bytes read before the relay starts. */
    private byte[] early = NONE;
    private int earlyLength;
    private boolean clientInputEnded;
    private boolean clientClosed;
    private SessionStatus status = SessionStatus.OK;
    private SessionEnd end;
    private String error;

    private RawStreamSession(IoEventLoop loop, Socket socket, InetSocketAddress remote, ConnectionSlots slots,
                             Settings settings, Host host) {
        this.loop = loop;
        this.client = new RawSocket(socket, events);
        this.remote = remote;
        this.slots = slots;
        this.settings = settings;
        this.host = host;
    }

    /**
     * Takes over an accepted socket, on {@code loop}, the worker that owns it; the session releases the slot it
     * holds in {@code slots} when it ends, and reports to {@code host}, possibly before this returns.
     *
     * @param local the accepted socket's local address
     */
    public static RawStreamSession start(IoEventLoop loop, Socket socket, InetSocketAddress remote,
                                         InetSocketAddress local, ConnectionSlots slots, Settings settings, Host host) {
        RawStreamSession session = new RawStreamSession(loop, socket, remote, slots, settings, host);
        session.begin(local);
        return session;
    }

    private void begin(InetSocketAddress local) {
        // Registered reading: the header reader and the early reads ask for the same, which then costs no epoll_ctl.
        Future<IoRegistration> registered = client.register(loop, READABLE);
        if (!registered.isSuccess()) {
            // Nothing was read: as a connection the PROXY stage never saw, or a session that never began.
            start = settings.clock().instant();
            status = SessionStatus.INTERNAL_SERVER_ERROR;
            error = SessionOutcome.describeFailure("client side", registered.cause());
            end = SessionEnd.IO_ERROR;
            clientClosed = true;
            finish(0, 0, 0, earlyLength, false);
            return;
        }
        if (settings.proxyStage().isPresent()) {
            RawHeaderReader reader = RawHeaderReader.start(loop, client, remote, local, settings.proxyStage().get(),
                    events);
            // A header already in the socket is judged before start returns, and the session has moved on.
            if (phase == Phase.HEADER) {
                header = reader;
            }
        } else if (host.proxyStageDone(Optional.empty())) {
            admitted();
        } else {
            refusedByRules();
        }
    }

    /** Cuts the session now (the drain deadline); from any thread. A session already over is left alone. */
    public void cut() {
        if (loop.inEventLoop()) {
            cutOnLoop();
        } else {
            loop.execute(this::cutOnLoop);
        }
    }

    private void cutOnLoop() {
        switch (phase) {
            case HEADER -> {
                header.cancel();
                phase = Phase.DONE;
                client.closeSocket();
                slots.release();
                // As the channel path logs a connection closed before its header was in.
                host.refused(SessionStatus.BAD_REQUEST.code());
            }
            case PREREAD -> endPreread(SessionStatus.OK.code(), "session cut before the ClientHello was complete");
            case CONNECTING -> {
                connect.cancel();
                closeClient();
                endWith(SessionEnd.CLIENT_GONE);
                finish(0, 0, 0, earlyLength, false);
            }
            case RELAY -> relay.close();
            case DONE -> { }
        }
    }

    // --- the PROXY header -------------------------------------------------------------------------

    private void headerReceived(ProxiedConnection connection, ByteBuffer rest, boolean inputEnded) {
        header = null;
        client.handTo(events);
        if (!host.proxyStageDone(Optional.of(connection))) {
            refusedByRules();
            return;
        }
        keep(rest, rest.position(), rest.remaining());
        clientInputEnded = inputEnded;
        admitted();
    }

    /** Past the PROXY stage and the access checks: the preread, if the server has it, else the upstream. */
    private void admitted() {
        if (settings.preread().enabled()) {
            beginPreread();
        } else {
            beginConnect();
        }
    }

    // --- ssl_preread ------------------------------------------------------------------------------

    private void beginPreread() {
        phase = Phase.PREREAD;
        preread = new PrereadBuffer(settings.preread().bufferSize());
        // Bytes that came with the PROXY header come first.
        preread.add(ByteBuffer.wrap(early), 0, earlyLength);
        early = NONE;
        earlyLength = 0;
        if (prereadJudged()) {
            return;
        }
        if (clientInputEnded) {
            endPreread(SessionStatus.OK.code(), "client closed before the ClientHello was complete");
            return;
        }
        client.interest(READABLE);
        // The hello is usually in the socket by now: one read spares the timer when it is complete.
        readPreread(0);
        if (phase == Phase.PREREAD) {
            // One deadline for the whole phase, as nginx arms its preread timer once.
            prereadDeadline = loop.schedule(() -> endPreread(SessionStatus.OK.code(), "preread timed out"),
                    settings.preread().timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void readPreread(int ops) {
        ByteBuffer scratch = RawRelayScratch.atLeast(settings.relay().bufferSize());
        int n;
        try {
            n = client.socket().read(scratch, 0, Math.min(preread.room(), scratch.capacity()));
        } catch (IOException e) {
            // nginx goes on as at the end of input: the session ends with 200.
            endPreread(SessionStatus.OK.code(), SessionOutcome.describeFailure("client side", e));
            return;
        }
        if (n > 0) {
            preread.add(scratch, 0, n);
            prereadJudged();
        } else if (n < 0 || (ops & (RawSocket.RDHUP | RawSocket.HUP)) != 0) {
            endPreread(SessionStatus.OK.code(), "client closed before the ClientHello was complete");
        }
    }

    /** Judges the bytes so far; true when the preread is over (the session went on, or ended). */
    private boolean prereadJudged() {
        PrereadBuffer.Verdict verdict = preread.judge();
        switch (verdict.kind()) {
            case NEED_MORE -> {
                return false;
            }
            case FULL -> endPreread(SessionStatus.BAD_REQUEST.code(), verdict.why());
            case DONE -> {
                cancelPrereadDeadline();
                // The bytes read stay the first ones for the upstream.
                early = preread.array();
                earlyLength = preread.length();
                preread = null;
                host.prereadDone(verdict.hello());
                beginConnect();
            }
        }
        return true;
    }

    private void endPreread(int status, String why) {
        cancelPrereadDeadline();
        Optional<ClientHello> hello = preread.unfinished();
        preread = null;
        phase = Phase.DONE;
        closeClient();
        slots.release();
        host.prereadEnded(status, hello, why);
    }

    private void cancelPrereadDeadline() {
        if (prereadDeadline != null) {
            prereadDeadline.cancel(false);
            prereadDeadline = null;
        }
    }

    /** {@code allow}/{@code deny} refused the client; the host has logged it. */
    private void refusedByRules() {
        phase = Phase.DONE;
        client.closeSocket();
        slots.release();
    }

    private void headerRefused(int status) {
        header = null;
        phase = Phase.DONE;
        client.closeSocket();
        slots.release();
        host.refused(status);
    }

    // --- connecting, reading the client's first bytes meanwhile -----------------------------------

    private void beginConnect() {
        phase = Phase.CONNECTING;
        start = settings.clock().instant();
        connectStart = start;
        readClientWhileRoom();
        try {
            attempts = host.upstream();
            connect = new RawUpstreamConnect(loop, settings.upstream(), attempts, events);
            connect.begin();
        } catch (RuntimeException e) {
            if (phase != Phase.CONNECTING) {
                throw e; // thrown past the connect, by what ran after it
            }
            // As on the channel path, a policy that throws (a hash key that cannot render) ends the session with 502.
            if (connect != null) {
                connect.cancel();
            }
            upstreamFailed(e);
        }
    }

    private void readClientWhileRoom() {
        client.interest(!clientInputEnded && !clientClosed && earlyLength < settings.relay().bufferSize() ? READABLE : 0);
    }

    private void clientReady(int ops) {
        if (phase == Phase.PREREAD) {
            readPreread(ops);
            return;
        }
        if (phase != Phase.CONNECTING || clientClosed) {
            return;
        }
        int room = settings.relay().bufferSize() - earlyLength;
        if (room <= 0 || clientInputEnded) {
            // Not reading: only an error or hang-up (always reported by epoll) comes here.
            clientFailed(pendingError(ops));
            return;
        }
        // The loop's relay buffer: copied out at its size at once, so no session holds a buffer of its own.
        ByteBuffer scratch = RawRelayScratch.atLeast(settings.relay().bufferSize());
        int n;
        try {
            n = client.socket().read(scratch, 0, room);
        } catch (IOException e) {
            clientFailed(e);
            return;
        }
        if (n > 0) {
            keep(scratch, 0, n);
        } else if (n < 0 || (ops & (RawSocket.RDHUP | RawSocket.HUP)) != 0) {
            clientInputEnded = true;
        }
        readClientWhileRoom();
    }

    /**
     * A loopback or LAN connect often completes before the loop has read the client's first bytes, which are
     * usually in the socket by then: read them now, so they leave in one write with the preface (one packet
     * less), and a peer that answers the preface alone (an HTTP server without {@code proxy_protocol} answering
     * 400) does not close while the request is still on its way, which resets the client's connection.
     */
    private void readClientNow() {
        // Only when nothing came yet: bytes that came with the PROXY header, or a read while connecting, mean
        // the socket was drained a moment ago, and another recv would only cost a system call.
        if (!clientClosed && !clientInputEnded && earlyLength == 0) {
            clientReady(0);
        }
    }

    /** Copies {@code n} bytes of {@code from}, from {@code offset} on; its position and limit are left alone. */
    private void keep(ByteBuffer from, int offset, int n) {
        if (n == 0) {
            return;
        }
        if (early.length - earlyLength < n) {
            early = Arrays.copyOf(early, earlyLength + n);
        }
        from.get(offset, early, earlyLength, n);
        earlyLength += n;
    }

    /** What ended a client that was not being read: the socket's own error, which a hang-up may come without. */
    private IOException pendingError(int ops) {
        try {
            return SocketError.take(client.socket()).orElseGet(
                    () -> new IOException("connection hung up (epoll events 0x" + Integer.toHexString(ops) + ")"));
        } catch (IOException e) {
            return e;
        }
    }

    private void clientFailed(IOException cause) {
        if (error == null) {
            error = SessionOutcome.describeFailure("client side", cause);
        }
        endWith(SessionEnd.IO_ERROR);
        closeClient();
    }

    private void closeClient() {
        clientClosed = true;
        client.closeSocket();
    }

    private boolean clientActive() {
        // With proxy_half_close off a FIN ends the client as the channel path closes it: no retry for it.
        return !clientClosed && !(clientInputEnded && !settings.relay().halfClose());
    }

    private void upstreamConnected(RawSocket upstream, SocketAddress address) {
        connect = null;
        upstreamAddress = address;
        connectTime = Optional.of(Duration.between(connectStart, settings.clock().instant()));
        readClientNow();
        if (clientClosed || (!clientActive() && earlyLength == 0)) {
            upstream.closeSocket();
            attempts.released();
            closeClient();
            endWith(SessionEnd.CLIENT_GONE);
            finish(0, 0, 0, earlyLength, false);
            return;
        }
        byte[] preface;
        try {
            preface = host.preface();
        } catch (RuntimeException e) {
            upstream.closeSocket();
            attempts.released();
            closeClient();
            status = SessionStatus.BAD_GATEWAY;
            error = SessionOutcome.describeFailure("upstream side", e);
            endWith(SessionEnd.IO_ERROR);
            finish(0, 0, 0, earlyLength, false);
            return;
        }
        ByteBuffer first = ByteBuffer.allocate(preface.length + earlyLength);
        first.put(preface).put(early, 0, earlyLength).flip();
        early = NONE;
        phase = Phase.RELAY;
        relay = RawRelay.start(loop, client, upstream, settings.relay(), first, preface.length, clientInputEnded,
                events);
    }

    private void upstreamFailed(Exception why) {
        connect = null;
        if (why instanceof UnroutableSessionException unroutable) {
            status = unroutable.status();
            end = SessionEnd.REJECTED;
        } else {
            status = SessionStatus.BAD_GATEWAY;
            end = SessionEnd.CONNECT_FAILED;
        }
        error = SessionOutcome.describeFailure("session", why);
        closeClient();
        finish(0, 0, 0, earlyLength, false);
    }

    // --- the relay and the end --------------------------------------------------------------------

    private void relayEnded(RawRelay.RelayResult result) {
        attempts.released();
        end = result.end();
        error = result.error().orElse(null);
        finish(result.bytesSent(), result.upstreamBytesSent(), result.upstreamBytesReceived(), result.bytesReceived(),
                result.spliced());
    }

    private void endWith(SessionEnd why) {
        if (end == null) {
            end = why;
        }
    }

    private void finish(long bytesSent, long upstreamBytesSent, long upstreamBytesReceived, long bytesReceived,
                        boolean spliced) {
        phase = Phase.DONE;
        slots.release();
        host.finished(new SessionOutcome(remote, Optional.ofNullable(upstreamAddress), connectTime, bytesReceived,
                bytesSent, upstreamBytesSent, upstreamBytesReceived, start,
                Duration.between(start, settings.clock().instant()), status, end == null ? SessionEnd.COMPLETE : end,
                Optional.ofNullable(error), spliced));
    }

    private final class Events implements RawSocket.Events, RawHeaderReader.Done, RawUpstreamConnect.Done,
            RawRelay.Listener {
        @Override
        public void received(ProxiedConnection connection, ByteBuffer rest, boolean inputEnded) {
            headerReceived(connection, rest, inputEnded);
        }

        @Override
        public void refused(int status) {
            headerRefused(status);
        }

        @Override
        public void ready(RawSocket socket, int ops) {
            clientReady(ops);
        }

        /** The event loop shuts down while the session still owns the client socket. */
        @Override
        public void loopClosing(RawSocket socket) {
            cutOnLoop();
        }

        @Override
        public void connected(RawSocket upstream, SocketAddress address) {
            upstreamConnected(upstream, address);
        }

        @Override
        public void failed(Exception why) {
            upstreamFailed(why);
        }

        @Override
        public boolean clientActive() {
            return RawStreamSession.this.clientActive();
        }

        @Override
        public void relayEnded(RawRelay.RelayResult result) {
            RawStreamSession.this.relayEnded(result);
        }
    }
}
