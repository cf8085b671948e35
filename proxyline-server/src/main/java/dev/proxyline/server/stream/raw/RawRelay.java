package dev.proxyline.server.stream.raw;

import dev.proxyline.server.stream.RelayLoop;
import dev.proxyline.server.stream.RelayOptions;
import dev.proxyline.server.stream.RelayWait;
import dev.proxyline.server.stream.SessionEnd;
import dev.proxyline.server.stream.SessionOutcome;
import dev.proxyline.server.stream.splice.SpliceSession;
import dev.proxyline.server.stream.splice.SpliceTrigger;
import dev.proxyline.server.stream.splice.SplicedRelay;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The byte relay of one raw-descriptor stream session: the client and upstream sockets, both on one epoll
 * event loop, with the Netty relay's behaviour ({@link dev.proxyline.server.stream.StreamProxy}) and
 * without its channels. Each wake-up reads at most {@link RelayOptions#READS_PER_WAKEUP} buffers of
 * {@code proxy_buffer_size} per direction into the loop's scratch buffer and writes them straight to the
 * other socket; a direction keeps only what its sink did not take, and reads nothing more until that is
 * written (see {@link RawRelayDirection}).
 *
 * <p>{@code proxy_half_close off}: the first end of input ends the session once everything read before
 * it was written, and both sockets are closed without a shutdown. {@code on}: the end is passed on as
 * {@code shutdown(SHUT_WR)} after the last byte, and the session ends once both directions did. A socket
 * error ends it with {@link SessionEnd#IO_ERROR}, {@code proxy_timeout} without traffic with
 * {@link SessionEnd#IDLE_TIMEOUT}.
 *
 * <p>Splice ({@code proxy_splice on}): as in the Netty relay, the first read that fills a whole buffer,
 * with nothing pending either way, hands both sockets to a {@link SplicedRelay} on the same loop, which
 * moves the bytes from then on; counts, the idle clock and the end are kept here. Everything runs on the
 * loop; plain fields suffice. The readiness loop is {@link RelayLoop}'s, which the spliced relay shares.
 */
final class RawRelay extends RelayLoop<RawRelayDirection> {

    /** Told how the relay ended. */
    interface Listener {
        /** Exactly once, on the loop, after both sockets were closed. */
        void relayEnded(RelayResult result);
    }

    /**
     * What the relay did, counted as {@link dev.proxyline.server.stream.SessionOutcome} counts it: bytes
     * read, and bytes written as far as the socket accepted them.
     *
     * @param error the first failure, as "side: exception: message"; empty if none
     * @param spliced whether the relay moved on to splice(2)
     */
    record RelayResult(long bytesReceived, long bytesSent, long upstreamBytesSent, long upstreamBytesReceived,
                       SessionEnd end, Optional<String> error, boolean spliced) {}

    private final IoEventLoop loop;
    private final RawSocket client;
    private final RawSocket upstream;
    private final RelayOptions options;
    private final Listener listener;
    private final RawRelayDirection toUpstream;
    private final RawRelayDirection toClient;
    /** The sockets' readiness goes here, kept off the relay's own API. */
    private final RawSocket.Events events = new RawSocket.Events() {
        @Override
        public void ready(RawSocket socket, int ops) {
            RawRelay.this.ready(socket == client, ops);
        }

        @Override
        public void loopClosing(RawSocket socket) {
            close();
        }
    };

    private final SpliceTrigger spliceTrigger;
    /** A read filled the buffer while the trigger was armed: try the switch once the round is settled. */
    private boolean spliceWanted;
    /** The spliced relay once the sockets were handed to it; null while they are not. */
    private SplicedRelay spliced;
    private boolean wasSpliced;
    /** Bytes the spliced relay moved: read from the client, written to the upstream, and back. */
    private long splicedFromClient;
    private long splicedToUpstream;
    private long splicedFromUpstream;
    private long splicedToClient;

    private long lastActivityNanos;
    private ScheduledFuture<?> idleCheck;
    private boolean ended;

    private RawRelay(IoEventLoop loop, RawSocket client, RawSocket upstream, RelayOptions options, Listener listener) {
        super(loop, options.halfClose());
        this.loop = loop;
        this.client = client;
        this.upstream = upstream;
        this.options = options;
        this.listener = listener;
        this.toUpstream = new RawRelayDirection(true, RawRelayDirection.between(client, upstream), options.bufferSize(),
                options.halfClose());
        this.toClient = new RawRelayDirection(false, RawRelayDirection.between(upstream, client), options.bufferSize(),
                options.halfClose());
        this.spliceTrigger = new SpliceTrigger(options.splice(), options.bufferSize());
        directions(toUpstream, toClient);
    }

    /**
     * On the loop. Both sockets are registered with {@code loop} and connected; the relay takes them over
     * and closes both when it ends. {@code toUpstreamFirst} (position to limit, heap or direct; the relay
     * owns it from here) is written to the upstream before anything else: the preface (its first
     * {@code prefaceLength} bytes, not counted as upstream bytes sent), then client bytes the front already
     * read (counted as received, and as upstream bytes sent once written). {@code clientInputEnded}: the
     * front already saw the client's end of input.
     */
    static RawRelay start(IoEventLoop loop, RawSocket client, RawSocket upstream, RelayOptions options,
                          ByteBuffer toUpstreamFirst, int prefaceLength, boolean clientInputEnded, Listener listener) {
        RawRelay relay = new RawRelay(loop, client, upstream, options, listener);
        relay.begin(toUpstreamFirst, prefaceLength, clientInputEnded);
        return relay;
    }

    private void begin(ByteBuffer first, int prefaceLength, boolean clientInputEnded) {
        client.handTo(events);
        upstream.handTo(events);
        touch();
        scheduleIdleCheck(options.idleTimeout().toNanos());
        try {
            toUpstream.begin(first, prefaceLength, clientInputEnded, scratch());
        } catch (RawRelayDirection.Failed e) {
            fail(e);
            return;
        }
        settle();
    }

    /**
     * On the loop. Cut now (drain deadline, loop shutdown): closes both sockets; reports the end if not
     * reported yet.
     */
    void close() {
        end(SessionEnd.COMPLETE, null);
    }

    // --- the loop's parts ---------------------------------------------------------------------------

    @Override
    protected boolean stopped() {
        return ended || spliced != null;
    }

    @Override
    protected Socket socket(boolean clientSide) {
        return (clientSide ? client : upstream).socket();
    }

    @Override
    protected boolean pump(RawRelayDirection direction, boolean fromClient, boolean hungUp) {
        long before = direction.read() + direction.written();
        try {
            direction.pump(scratch(), RelayOptions.READS_PER_WAKEUP, hungUp, spliceTrigger.armed());
        } catch (RawRelayDirection.Failed e) {
            fail(e);
            return false;
        }
        if (direction.read() + direction.written() != before) {
            touch();
        }
        if (direction.takeFullRead() && spliceTrigger.armed()) {
            spliceWanted = true;
        }
        return true;
    }

    /**
     * False for the direction that no longer runs: with {@code proxy_half_close off}, once the other
     * direction's source ended, the session only delivers what that one read before its end.
     */
    @Override
    protected boolean flows(RawRelayDirection direction) {
        RawRelayDirection other = direction == toUpstream ? toClient : toUpstream;
        return options.halfClose() || !other.sourceEnded();
    }

    @Override
    protected void over() {
        end(SessionEnd.COMPLETE, null);
    }

    @Override
    protected boolean movedOn() {
        if (!spliceWanted) {
            return false;
        }
        spliceWanted = false;
        return switchToSplice();
    }

    @Override
    protected void want(boolean clientSide, RawRelayDirection out, RawRelayDirection in) {
        RawSocket socket = clientSide ? client : upstream;
        if (out.sourceEnded() && in.waiting() == RelayWait.FINISHED) {
            // Nothing the relay waits for can happen on it; level-triggered EPOLLHUP would fire on every wake-up.
            socket.deregister();
            return;
        }
        int ops = 0;
        // Kept while its turn is queued too: two epoll_ctl per busy round would cost more than the events
        // the queued pump makes redundant.
        if (waits(out, RelayWait.SOURCE) || waits(out, RelayWait.MORE)) {
            ops |= RawSocket.IN | RawSocket.RDHUP;
        }
        if (waits(in, RelayWait.SINK)) {
            ops |= RawSocket.OUT;
        }
        socket.interest(ops);
    }

    // --- zero-copy splice -------------------------------------------------------------------------

    /**
     * Hands both sockets to a {@link SplicedRelay} when nothing is pending either way (every byte read so far
     * was written, every end seen was passed on); otherwise the trigger stays armed for a later full read.
     *
     * @return true if the sockets left this relay's hands (the spliced relay runs, or gave them back and
     *     the relay settled again)
     */
    private boolean switchToSplice() {
        if (pendingBytes() > 0 || !flows(toUpstream) || !flows(toClient)) {
            return false;
        }
        spliceTrigger.disarm();
        client.deregister();
        upstream.deregister();
        SplicedRelay.start(loop, client.socket(), upstream.socket(), new SpliceEvents(), this::resumeBuffered);
        return true;
    }

    /** The spliced relay could not start: the sockets come back to epoll as they were, the relay reads buffered. */
    private void resumeBuffered() {
        spliced = null;
        if (ended) {
            return;
        }
        reregister(client);
        reregister(upstream);
        settle();
    }

    private void reregister(RawSocket socket) {
        socket.register(loop, socket.interest()).addListener(registered -> {
            if (!registered.isSuccess()) {
                fail(socket == client, registered.cause());
            }
        });
    }

    /** The spliced relay's reports, mapped onto this relay's counts and ends. */
    private final class SpliceEvents implements SpliceSession {
        @Override
        public void spliced(SplicedRelay relay) {
            spliced = relay;
            wasSpliced = true;
        }

        @Override
        public void resumeBuffered() {
            RawRelay.this.resumeBuffered();
        }

        @Override
        public boolean passesFinOn() {
            return options.halfClose();
        }

        @Override
        public boolean ended(boolean fromClient) {
            return (fromClient ? toUpstream : toClient).waiting() == RelayWait.FINISHED;
        }

        @Override
        public void moved(boolean fromClient, long read, long written) {
            if (fromClient) {
                splicedFromClient += read;
                splicedToUpstream += written;
            } else {
                splicedFromUpstream += read;
                splicedToClient += written;
            }
            touch();
        }

        @Override
        public void finished() {
            end(SessionEnd.COMPLETE, null);
        }

        @Override
        public void failed(boolean clientSide, IOException cause) {
            fail(clientSide, cause);
        }

        @Override
        public void loopClosing() {
            close();
        }
    }

    private ByteBuffer scratch() {
        return RawRelayScratch.atLeast(options.bufferSize());
    }

    // --- idle timeout (proxy_timeout) -------------------------------------------------------------

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = loop.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Rescheduled by what is left rather than reset per byte: touching a long costs nothing per read. */
    private void checkIdle() {
        idleCheck = null;
        if (ended) {
            return;
        }
        long timeout = options.idleTimeout().toNanos();
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle >= timeout) {
            end(SessionEnd.IDLE_TIMEOUT, null);
        } else {
            scheduleIdleCheck(timeout - idle);
        }
    }

    // --- completion -------------------------------------------------------------------------------

    private void fail(RawRelayDirection.Failed failure) {
        fail(failure.clientSide(), failure.io());
    }

    @Override
    protected void fail(boolean clientSide, IOException cause) {
        fail(clientSide, (Throwable) cause);
    }

    private void fail(boolean clientSide, Throwable cause) {
        end(SessionEnd.IO_ERROR, SessionOutcome.describeFailure(clientSide ? "client side" : "upstream side", cause));
    }

    private void end(SessionEnd why, String error) {
        if (ended) {
            return;
        }
        ended = true;
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        // The spliced relay's registrations must go before the descriptors close.
        if (spliced != null) {
            spliced.stop();
        }
        toUpstream.release();
        toClient.release();
        client.closeSocket();
        upstream.closeSocket();
        listener.relayEnded(new RelayResult(
                toUpstream.read() + splicedFromClient,
                toClient.written() + splicedToClient,
                toUpstream.written() + splicedToUpstream,
                toClient.read() + splicedFromUpstream,
                why, Optional.ofNullable(error), wasSpliced));
    }

    /** Bytes held for sinks that did not take them yet, both directions; for tests. */
    int pendingBytes() {
        return toUpstream.pendingBytes() + toClient.pendingBytes();
    }
}
