package dev.proxyline.server.stream;

import dev.proxyline.server.stream.splice.SpliceHandOver;
import dev.proxyline.server.stream.splice.SpliceSession;
import dev.proxyline.server.stream.splice.SpliceTrigger;
import dev.proxyline.server.stream.splice.SplicedRelay;
import dev.proxyline.server.transport.HalfClose;
import dev.proxyline.server.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and its upstream, from hand-over to the outcome. Everything runs on the
 * client's event loop (the upstream is required to share it), so plain fields suffice.
 */
final class RelaySession {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(RelaySession.class);

    /** Pipeline name of the relay handler on both channels. */
    static final String HANDLER_NAME = "stream-relay";

    private final Channel client;
    private final RelayOptions options;
    private final RecvByteBufAllocator reads;
    private final Clock clock;
    private final Promise<SessionOutcome> result;
    private final RelayEndpoint clientEnd;
    private final SocketAddress clientAddress;

    private Instant start;
    private Instant connectStart;
    private Optional<Duration> connectTime = Optional.empty();
    private Channel upstream;
    private SocketAddress upstreamAddress;
    private RelayEndpoint upstreamEnd;
    private boolean connecting;
    /** The connect under way: cancelled when the client leaves with nothing for the upstream (a DNS lookup). */
    private Future<Channel> pendingConnect;
    private String error;
    private SessionStatus status = SessionStatus.OK;
    private SessionEnd end;

    private long bytesReceived;
    private long bytesSent;
    private long upstreamBytesSent;
    private long upstreamBytesReceived;
    /** The preface is queued on the upstream and not yet written: the head of its outbound buffer. */
    private boolean prefacePending;

    private boolean clientToUpstreamDone;
    private boolean upstreamToClientDone;
    private long lastActivityNanos;
    /** {@link #takenBySockets} at the last idle check. */
    private long takenAtLastCheck;
    private ScheduledFuture<?> idleCheck;

    private final SpliceTrigger spliceTrigger;
    /** The spliced relay once the session switched to it; null while it never did. */
    private SplicedRelay spliced;

    RelaySession(Channel client, RelayOptions options, RecvByteBufAllocator reads, Clock clock,
                 Promise<SessionOutcome> result) {
        this.client = client;
        this.options = options;
        this.reads = reads;
        this.clock = clock;
        this.result = result;
        this.clientEnd = new RelayEndpoint(this, true, options.bufferSize());
        this.spliceTrigger =
                new SpliceTrigger(options.splice() && Transport.of(client).isNative(), options.bufferSize());
        // Kept now: a closed channel may no longer report its remote address.
        this.clientAddress = client.remoteAddress() != null ? client.remoteAddress() : new UnknownAddress();
    }

    /** Takes over the client channel and starts connecting the upstream. */
    void begin(UpstreamConnector connector, UpstreamPreface preface) {
        start = clock.instant();
        configure(client);
        closeAtFin(client);
        // The client is read while the upstream connects: the first bytes, typically already in the socket,
        // then leave in one write with the PROXY header (RelayEndpoint holds at most a buffer's worth).
        client.pipeline().addLast(HANDLER_NAME, clientEnd);
        ChannelOutboundBuffer toClient = client.unsafe().outboundBuffer();
        client.closeFuture().addListener(f -> closed(true, toClient));
        if (!client.isActive()) {
            end = SessionEnd.CLIENT_GONE;
            closeNow(client);
            maybeFinish();
            return;
        }
        connecting = true;
        connectStart = clock.instant();
        Future<Channel> connect;
        try {
            connect = connector.connect(client);
        } catch (RuntimeException e) {
            connect = client.eventLoop().newFailedFuture(e);
        }
        Future<Channel> pending = connect;
        pendingConnect = connect;
        connect.addListener(f -> onLoop(() -> onConnected(pending, preface)));
    }

    /** The connector's future may complete elsewhere; session state lives on the client's loop. */
    private void onLoop(Runnable task) {
        if (client.eventLoop().inEventLoop()) {
            task.run();
        } else {
            client.eventLoop().execute(task);
        }
    }

    /**
     * {@link RelayEndpoint} switches reading from here on. Half-closure starts allowed whatever
     * {@code proxy_half_close} says (see {@link #closeAtFin} for when that changes).
     */
    private void configure(Channel ch) {
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setRecvByteBufAllocator(reads);
        ch.config().setWriteBufferWaterMark(options.waterMark());
    }

    /**
     * {@code proxy_half_close off} (nginx's default): the first FIN ends the session. Netty then closes
     * {@code ch} when it reads the FIN, instead of the {@code shutdown(SHUT_RD)} it makes on a
     * half-closable channel, and {@link #channelInactive} writes out what was read before the FIN and
     * closes the other side: one close per socket and no shutdown, as nginx does. The client is set so
     * from the start (a FIN while the upstream connects: {@link #keepsEarlyBytes}); the upstream once
     * its preface was written, as closing it would fail that write. An upstream FIN before then takes
     * the half-close path, which {@link #inputDelivered} ends.
     */
    private void closeAtFin(Channel ch) {
        if (!options.halfClose()) {
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        }
    }

    private void onConnected(Future<Channel> connect, UpstreamPreface preface) {
        connecting = false;
        pendingConnect = null;
        if (connect.isCancelled()) {
            end = SessionEnd.CLIENT_GONE;
            maybeFinish();
            return;
        }
        if (!connect.isSuccess()) {
            Throwable cause = connect.cause();
            if (cause instanceof SessionRejectedException r) {
                status = r.status();
                end = SessionEnd.REJECTED;
            } else {
                status = SessionStatus.BAD_GATEWAY;
                end = SessionEnd.CONNECT_FAILED;
            }
            error = SessionOutcome.describeFailure("session", cause);
            closeNow(client);
            maybeFinish();
            return;
        }
        Channel ch = connect.getNow();
        if (ch == null) {
            status = SessionStatus.INTERNAL_SERVER_ERROR;
            end = SessionEnd.CONNECT_FAILED;
            error = "the upstream connector completed without a channel";
            closeNow(client);
            maybeFinish();
            return;
        }
        upstream = ch;
        upstreamAddress = ch.remoteAddress() != null ? ch.remoteAddress() : new UnknownAddress();
        connectTime = Optional.of(Duration.between(connectStart, clock.instant()));
        ChannelOutboundBuffer toUpstream = ch.unsafe().outboundBuffer();
        ch.closeFuture().addListener(f -> onLoop(() -> closed(false, toUpstream)));
        if (ch.eventLoop() != client.eventLoop()) {
            error = "upstream channel " + ch + " is not on the client's event loop (use UpstreamBootstrap)";
            status = SessionStatus.INTERNAL_SERVER_ERROR;
            end = SessionEnd.IO_ERROR;
            closeNow(ch);
            closeNow(client);
            return;
        }
        if (!client.isActive() && !clientLeftBytes()) {
            end = SessionEnd.CLIENT_GONE;
            closeNow(ch);
            return;
        }
        // Nothing is read from the upstream before the relay starts.
        ch.config().setAutoRead(false);
        configure(ch);
        upstreamEnd = new RelayEndpoint(this, false, options.bufferSize());
        ch.pipeline().addLast(HANDLER_NAME, upstreamEnd);
        ByteBuf first;
        try {
            first = preface.bytes(client, ch);
        } catch (RuntimeException e) {
            status = SessionStatus.BAD_GATEWAY;
            fail(upstreamEnd, e);
            return;
        }
        // Queued, not flushed: it leaves with the client's first bytes (see startRelay). Until it has, an
        // upstream FIN must not close the channel, which would fail this write.
        prefacePending = true;
        ch.write(first).addListener(f -> {
            prefacePending = false;
            if (f.isSuccess()) {
                closeAtFin(ch);
            } else if (end == null) {
                // A session already ending fails its pending header write by closing; that is not the upstream's fault.
                status = SessionStatus.BAD_GATEWAY;
                fail(upstreamEnd, f.cause());
            }
        });
        startRelay();
    }

    private void startRelay() {
        if (!upstream.isActive() || (!client.isActive() && !clientLeftBytes())) {
            closeGracefully();
            return;
        }
        touch();
        scheduleIdleCheck(options.idleTimeout().toNanos());
        if (!client.isActive()) {
            // What it sent goes out behind the preface, then the upstream closes.
            clientEnd.start(upstreamEnd);
            channelInactive(clientEnd);
            return;
        }
        boolean clientBytesWaiting = clientEnd.hasEarlyBytes();
        clientEnd.start(upstreamEnd);
        upstreamEnd.start(clientEnd);
        if (!clientBytesWaiting) {
            // The connect often completes in the same round of events as the client's first read, and
            // is handled first. Flushing when the round's tasks run lets a read of this round join the
            // preface in one write; a client that waits for the server to speak costs no delay.
            upstream.eventLoop().execute(upstream::flush);
        }
    }

    // --- events from the endpoints ---------------------------------------------------------------

    void onRead(boolean fromClient, long n) {
        counted(fromClient, n);
        if (spliceTrigger.fullRead(n)) {
            switchToSplice();
        }
    }

    private void counted(boolean fromClient, long n) {
        if (fromClient) {
            bytesReceived += n;
        } else {
            upstreamBytesReceived += n;
        }
        touch();
    }

    /**
     * {@code n} bytes were queued for the client or the upstream; see {@link #closed} for those never sent.
     * Not activity yet: the read that brought them was, and their writing is seen by {@link #checkIdle}.
     */
    void onWritten(boolean toClient, long n) {
        if (toClient) {
            bytesSent += n;
        } else {
            upstreamBytesSent += n;
        }
    }

    /**
     * Everything {@code from} sent, its FIN included, has been written to {@code to}. With
     * {@code proxy_half_close off} that ends the session (only an upstream FIN from before its preface
     * was written comes here then, see {@link #closeAtFin}). When the other direction is already finished
     * the session is complete and both channels close, which sends the FIN without a separate
     * shutdown; otherwise {@code to}'s output is shut and the other direction runs on.
     */
    void inputDelivered(RelayEndpoint from, RelayEndpoint to) {
        if (!options.halfClose()) {
            closeGracefully();
            return;
        }
        boolean fromClient = from.clientSide();
        if (fromClient ? upstreamToClientDone : clientToUpstreamDone) {
            directionDone(fromClient);
            return;
        }
        Channel target = to.channel();
        // The FIN that target sends later ends the session: with half-closure off Netty closes the channel on
        // it instead of calling shutdown(SHUT_RD) on a socket the kernel has finished by then, which fails
        // with ENOTCONN and costs an exception with a stack trace per connection.
        target.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        HalfClose.shutdownOutput((DuplexChannel) target).addListener(shut -> {
            if (shut.isSuccess()) {
                directionDone(fromClient);
            } else {
                fail(to, shut.cause());
            }
        });
    }

    private void directionDone(boolean fromClient) {
        if (fromClient) {
            clientToUpstreamDone = true;
        } else {
            upstreamToClientDone = true;
        }
        if (clientToUpstreamDone && upstreamToClientDone) {
            closeGracefully();
        }
    }

    /**
     * A channel closed without a half-close: a reset, or its FIN with {@code proxy_half_close off}.
     * Whatever was already queued for the other side is still delivered before it is closed; what was
     * on its way to the closed side is dropped, as nginx does.
     */
    void channelInactive(RelayEndpoint endpoint) {
        endWith(SessionEnd.COMPLETE);
        Channel other = endpoint.clientSide() ? upstream : client;
        if (other != null && other.isActive()) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A client that closes without an error while the upstream connects (its FIN, with
     * {@code proxy_half_close off}) keeps the bytes it sent until they can go there: its endpoint holds
     * them past the channel's close, and {@link #maybeFinish} releases what is left.
     */
    boolean keepsEarlyBytes(RelayEndpoint endpoint) {
        return endpoint.clientSide() && connecting && error == null;
    }

    /**
     * The client closed before the relay started and left bytes for the upstream. Judged from the
     * channel, not from channelInactive: Netty fires that a task after the close, and the connect may
     * complete in between.
     */
    private boolean clientLeftBytes() {
        return !client.isActive() && error == null && clientEnd.hasEarlyBytes();
    }

    void fail(RelayEndpoint endpoint, Throwable cause) {
        fail(endpoint.clientSide(), cause);
    }

    private void fail(boolean clientSide, Throwable cause) {
        if (error == null) {
            error = SessionOutcome.describeFailure(clientSide ? "client side" : "upstream side", cause);
            // Peer-caused failures are routine for a proxy: debug level, no stack trace (convention 4).
            if (LOG.isDebugEnabled()) {
                LOG.debug("stream session {} -> {}: {}", clientAddress, upstreamAddress, error);
            }
        }
        endWith(SessionEnd.IO_ERROR);
        closeNow(client);
        closeNow(upstream);
    }

    // --- zero-copy splice -------------------------------------------------------------------------

    /**
     * A read filled the buffer: if nothing else needs to see the bytes, stop reading and hand both
     * sockets to a {@link SplicedRelay}. The hand-over runs in a later task, after the buffer in hand
     * was forwarded and flushed.
     */
    private void switchToSplice() {
        if (upstreamEnd == null || !upstreamEnd.started() || !clientEnd.started()) {
            return; // bytes read before the relay (and its preface) started; a later read may switch
        }
        if (!spliceable()) {
            // A FIN still being passed on rules splicing out only until it was: stay armed for a later read.
            if (!finInFlight()) {
                spliceTrigger.disarm();
            }
            return;
        }
        spliceTrigger.disarm();
        clientEnd.pause();
        upstreamEnd.pause();
        client.eventLoop().execute(() -> SpliceHandOver.begin(client, upstream, new SpliceEvents(), this::spliceable));
    }

    /**
     * Both sides open, no failure, every FIN seen already passed on, and no handler but the relay's
     * that must see the bytes (TLS, say).
     */
    private boolean spliceable() {
        return error == null && end == null && client.isActive() && upstream.isActive()
                && (!clientEnd.inputShutdown() || clientToUpstreamDone)
                && (!upstreamEnd.inputShutdown() || upstreamToClientDone)
                && onlyRelay(client, clientEnd) && onlyRelay(upstream, upstreamEnd);
    }

    private boolean finInFlight() {
        return (clientEnd.inputShutdown() && !clientToUpstreamDone)
                || (upstreamEnd.inputShutdown() && !upstreamToClientDone);
    }

    private static boolean onlyRelay(Channel ch, RelayEndpoint endpoint) {
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            if (e.getValue() != endpoint) {
                return false;
            }
        }
        return true;
    }

    /** The spliced relay's reports, mapped onto the buffered relay's bookkeeping. */
    private final class SpliceEvents implements SpliceSession {
        @Override
        public void spliced(SplicedRelay relay) {
            spliced = relay;
            // A channel closed from outside (a drain deadline) ends the relay: closeNow stops it first, so the
            // closed socket's registration goes before its descriptor number can be reused.
            client.closeFuture().addListener(f -> closeNow(upstream));
            upstream.closeFuture().addListener(f -> closeNow(client));
        }

        @Override
        public void resumeBuffered() {
            clientEnd.resume();
            upstreamEnd.resume();
        }

        @Override
        public boolean passesFinOn() {
            return options.halfClose();
        }

        @Override
        public boolean ended(boolean fromClient) {
            return fromClient ? clientToUpstreamDone : upstreamToClientDone;
        }

        @Override
        public void moved(boolean fromClient, long read, long written) {
            counted(fromClient, read);
            onWritten(!fromClient, written);
        }

        @Override
        public void finished() {
            closeGracefully();
        }

        @Override
        public void failed(boolean clientSide, IOException cause) {
            fail(clientSide, cause);
        }

        @Override
        public void loopClosing() {
            // The loop does not close deregistered channels itself.
            client.close();
            upstream.close();
        }
    }

    // --- idle timeout (proxy_timeout) -------------------------------------------------------------

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** What the two sockets have taken from the relay so far: bytes queued for them, less those still queued. */
    private long takenBySockets() {
        return bytesSent + upstreamBytesSent - stillQueued(client) - stillQueued(upstream);
    }

    /**
     * Walks the queue instead of asking Netty's pending total, which drops only once a whole buffer is
     * written; a partly written buffer's reader index shows its progress.
     */
    private static long stillQueued(Channel ch) {
        ChannelOutboundBuffer out = ch == null ? null : ch.unsafe().outboundBuffer();
        return out == null ? 0 : UnsentBytes.in(out, 0);
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = client.eventLoop().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Rescheduled rather than reset on every byte: touching a long costs nothing per read, while
     * cancelling and re-arming a timer per read would not.
     */
    private void checkIdle() {
        idleCheck = null;
        if (!client.isOpen() && (upstream == null || !upstream.isOpen())) {
            return;
        }
        long now = System.nanoTime();
        long taken = takenBySockets();
        if (taken != takenAtLastCheck) {
            // A socket took queued bytes since the last check: a write is activity, as for nginx. Writes carry
            // no promise to report when they complete, so their progress is seen here, at most one check late.
            takenAtLastCheck = taken;
            lastActivityNanos = now;
        }
        long idle = now - lastActivityNanos;
        long timeout = options.idleTimeout().toNanos();
        if (idle >= timeout) {
            endWith(SessionEnd.IDLE_TIMEOUT);
            closeNow(client);
            closeNow(upstream);
        } else {
            scheduleIdleCheck(timeout - idle);
        }
    }

    // --- completion -------------------------------------------------------------------------------

    private void closeGracefully() {
        endWith(SessionEnd.COMPLETE);
        closeNow(client);
        closeNow(upstream);
    }

    private void endWith(SessionEnd why) {
        if (end == null) {
            end = why;
        }
    }

    private void closeNow(Channel ch) {
        // The spliced relay's epoll registrations must go before the descriptors close.
        if (spliced != null) {
            spliced.stop();
        }
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * A channel closed: what the relay queued for it and it never sent is not counted as sent. Runs
     * from the close future, which Netty completes before it fails the writes still pending. Only
     * flushed writes are seen; the relay flushes at the end of every read, before anything closes.
     *
     * @param out the channel's outbound buffer, taken while it was open; null if it never was
     */
    private void closed(boolean client, ChannelOutboundBuffer out) {
        if (out != null) {
            if (client) {
                bytesSent -= UnsentBytes.in(out, 0);
            } else {
                upstreamBytesSent -= UnsentBytes.in(out, prefacePending ? 1 : 0);
            }
        }
        if (client && pendingConnect != null && !clientLeftBytes()) {
            // Nobody is left to relay for: no connect once the name is found (the lookup itself goes on for others).
            pendingConnect.cancel(false);
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (result.isDone() || connecting || client.isOpen() || (upstream != null && upstream.isOpen())) {
            return;
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        // Kept for an upstream that was connecting; it failed or the session ended before they went out.
        clientEnd.discardEarlyBytes();
        Instant now = clock.instant();
        result.trySuccess(new SessionOutcome(
                clientAddress,
                Optional.ofNullable(upstreamAddress),
                connectTime,
                bytesReceived,
                bytesSent,
                upstreamBytesSent,
                upstreamBytesReceived,
                start,
                Duration.between(start, now),
                status,
                end == null ? SessionEnd.COMPLETE : end,
                Optional.ofNullable(error),
                spliced != null));
    }

    /** Placeholder for an address a closed channel no longer reports. */
    private static final class UnknownAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "unknown";
        }
    }
}
