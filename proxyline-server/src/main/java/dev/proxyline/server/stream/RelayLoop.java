package dev.proxyline.server.stream;

import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The event-loop half of a relay between a client socket and an upstream socket on raw descriptors, shared by
 * the buffered relay ({@code raw.RawRelay}) and the spliced one ({@code splice.SplicedRelay}): which direction
 * a readiness event concerns, the order in which input, a socket error and output are handled, when a direction
 * that used its share of a wake-up gets its next turn, and when the relay is over. The subclasses fill in how a
 * direction moves its bytes, what interest a socket gets, and what ending and failing mean.
 * Everything runs on one event loop; plain fields suffice.
 *
 * @param <D> the relay's direction type
 */
public abstract class RelayLoop<D extends RelayLoop.Direction> {

    /** One direction, source to sink, as the loop sees it. */
    public interface Direction {
        /** What the direction waits for since its last pump. */
        RelayWait waiting();

        /**
         * The source reported EPOLLRDHUP or EPOLLHUP. For a direction that keeps that for a later read; the
         * pump is told as well, when it runs in the same wake-up.
         */
        default void sourceHungUp() {
        }
    }

    private static final int IN = EpollIoOps.EPOLLIN.value();
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    private static final int ERR = EpollIoOps.EPOLLERR.value();
    /** Linux's EPOLLHUP; Netty has no public constant for it, but passes it through in event sets. */
    private static final int HUP = 0x010;
    private static final int HANG_UP = HUP | EpollIoOps.EPOLLRDHUP.value();

    private final Executor loop;
    /** {@code proxy_half_close}: an ended direction passes its end on, and the relay ends when both did. */
    private final boolean halfClose;
    /** Made once: queuing a turn is frequent in bulk transfers and should not allocate. */
    private final Runnable turn = this::takeTurn;
    private D fromClient;
    private D fromUpstream;
    private boolean turnQueued;

    protected RelayLoop(Executor loop, boolean halfClose) {
        this.loop = loop;
        this.halfClose = halfClose;
    }

    /** Called once from the subclass's constructor, before any event. */
    protected final void directions(D fromClient, D fromUpstream) {
        this.fromClient = fromClient;
        this.fromUpstream = fromUpstream;
    }

    // --- what the relays fill in -----------------------------------------------------------------------

    /** True once the relay ended, or no longer handles its sockets' events. */
    protected abstract boolean stopped();

    /**
     * Moves what {@code direction} can move now.
     *
     * @param hungUp the source reported EPOLLRDHUP or EPOLLHUP in this wake-up
     * @return false if the relay failed and ended
     */
    protected abstract boolean pump(D direction, boolean fromClient, boolean hungUp);

    /** The client's ({@code clientSide}) or the upstream's socket. */
    protected abstract Socket socket(boolean clientSide);

    /** A kernel call or the socket's own error failed the client's ({@code clientSide}) or the upstream's side. */
    protected abstract void fail(boolean clientSide, IOException cause);

    /** Both directions finished (with {@code proxy_half_close off}: one did); the relay ends. */
    protected abstract void over();

    /** Interest of the client's ({@code clientSide}) or the upstream's socket: the source of {@code out}, the sink of {@code in}. */
    protected abstract void want(boolean clientSide, D out, D in);

    /** Before interest is set: true if the relay's sockets left this loop (the raw relay switching to splice). */
    protected boolean movedOn() {
        return false;
    }

    /** With {@code proxy_half_close off}, whether {@code direction} still runs; the ones that cannot stop earlier keep this. */
    protected boolean flows(D direction) {
        return true;
    }

    // --- the loop --------------------------------------------------------------------------------------

    /** A readiness event {@code ops} of the client's ({@code clientSide}) or the upstream's socket. */
    protected final void ready(boolean clientSide, int ops) {
        if (stopped()) {
            return;
        }
        D out = clientSide ? fromClient : fromUpstream;
        D in = clientSide ? fromUpstream : fromClient;
        boolean hungUp = (ops & HANG_UP) != 0;
        if (hungUp) {
            out.sourceHungUp();
        }
        // Input first, then the error: a peer that answered and then reset (its answer and the RST in one wake-up,
        // e.g. a server refusing a request it got half of) left its answer readable before the error, and reads
        // return it first, as nginx relays it. The read that reaches the reset fails the relay itself.
        if (((ops & IN) != 0 || hungUp) && waits(out, RelayWait.SOURCE) && !pump(out, clientSide, hungUp)) {
            return;
        }
        if ((ops & ERR) != 0 && failOnSocketError(clientSide)) {
            return;
        }
        // A hung-up sink is reported too: the next write into it tells why (EPIPE, say).
        if ((ops & (OUT | HUP)) != 0 && waits(in, RelayWait.SINK) && !pump(in, !clientSide, false)) {
            return;
        }
        settle();
    }

    /** Ends the relay once it is over; otherwise brings interest in line with what the directions wait for. */
    protected final void settle() {
        if (stopped()) {
            return;
        }
        if (bothEnded()) {
            over();
            return;
        }
        if (movedOn()) {
            return;
        }
        if (waits(fromClient, RelayWait.MORE) || waits(fromUpstream, RelayWait.MORE)) {
            queueTurn();
        }
        want(true, fromClient, fromUpstream);
        want(false, fromUpstream, fromClient);
    }

    /** {@code direction} waits for {@code what} and still runs. */
    protected final boolean waits(D direction, RelayWait what) {
        return direction.waiting() == what && (halfClose || flows(direction));
    }

    /** EPOLLERR: @return true if the relay failed and ended, false if the socket had no error after all */
    private boolean failOnSocketError(boolean clientSide) {
        IOException cause;
        try {
            Optional<IOException> pending = SocketError.take(socket(clientSide));
            if (pending.isEmpty()) {
                return false;
            }
            cause = pending.get();
        } catch (IOException e) {
            cause = e;
        }
        fail(clientSide, cause);
        return true;
    }

    /** Both directions finished; without half-close, the first to finish ends the relay. */
    private boolean bothEnded() {
        boolean up = fromClient.waiting() == RelayWait.FINISHED;
        boolean down = fromUpstream.waiting() == RelayWait.FINISHED;
        return halfClose ? up && down : up || down;
    }

    /** A direction used its share of one wake-up: it goes on after the loop served the others. */
    private void queueTurn() {
        if (turnQueued) {
            return;
        }
        turnQueued = true;
        loop.execute(turn);
    }

    private void takeTurn() {
        turnQueued = false;
        if (stopped()) {
            return;
        }
        if (waits(fromClient, RelayWait.MORE) && !pump(fromClient, true, false)) {
            return;
        }
        if (waits(fromUpstream, RelayWait.MORE) && !pump(fromUpstream, false, false)) {
            return;
        }
        settle();
    }
}
