package dev.proxyline.server.stream.splice;

import dev.proxyline.server.stream.RelayLoop;
import dev.proxyline.server.stream.RelayWait;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;

/**
 * A relay that moves bytes between two connected sockets with splice(2) through one pipe per
 * direction, without copying them into user space. The sockets' owner (Netty channels, or the raw
 * relay's sockets) has removed them from its epoll registration and keeps their descriptors open; they
 * are registered again, on the same loop, as {@link EpollIoHandle}s of this relay, and closing them
 * stays the owner's job. {@link SpliceDirection} decides what to move and what to wait for; this class
 * only turns that into splice calls and epoll interest, in the readiness loop it shares with the raw relay
 * ({@link RelayLoop}).
 *
 * <p>Interest is level-triggered and always holds EPOLLERR: Netty 4.2.18 deletes a descriptor whose
 * interest set becomes empty and then fails the next change (see
 * {@code dev.proxyline.server.transport.EpollInterestKeeper}). A socket that will never need another
 * event (its input hung up, its output shut) is removed instead, because it would report EPOLLHUP on
 * every wake-up while the other direction still runs.
 */
public final class SplicedRelay extends RelayLoop<SpliceDirection> {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(SplicedRelay.class);

    /** As many pipefuls per wake-up as the buffered relay reads buffers: fair to other connections on the loop. */
    private static final int FILLS_PER_PUMP = 16;

    private final IoEventLoop loop;
    private final SpliceSession session;
    private final SocketEnd clientSocket;
    private final SocketEnd upstreamSocket;
    private final Pipe toUpstream;
    private final Pipe toClient;
    private final SpliceDirection clientToUpstream;
    private final SpliceDirection upstreamToClient;
    private boolean stopped;

    private SplicedRelay(IoEventLoop loop, Socket client, Socket upstream, SpliceSession session, Pipe toUpstream,
                         Pipe toClient) {
        super(loop, session.passesFinOn());
        this.loop = loop;
        this.session = session;
        this.clientSocket = new SocketEnd(this, true, client);
        this.upstreamSocket = new SocketEnd(this, false, upstream);
        this.toUpstream = toUpstream;
        this.toClient = toClient;
        // Whether a direction's end is passed on as a FIN, or ends the whole relay (proxy_half_close).
        boolean passFinOn = session.passesFinOn();
        this.clientToUpstream =
                new SpliceDirection(new Ends(clientSocket, toUpstream, upstreamSocket, passFinOn), FILLS_PER_PUMP);
        this.upstreamToClient =
                new SpliceDirection(new Ends(upstreamSocket, toClient, clientSocket, passFinOn), FILLS_PER_PUMP);
        directions(clientToUpstream, upstreamToClient);
        if (session.ended(true)) {
            clientToUpstream.alreadyEnded();
        }
        if (session.ended(false)) {
            upstreamToClient.alreadyEnded();
        }
    }

    /**
     * Creates the pipes and registers both sockets with {@code loop}, an epoll event loop; call on that
     * loop. The sockets must be connected, no longer registered with the loop by their owner, and have
     * nothing of the owner's left to write. Reports {@link SpliceSession#spliced} on success; on failure
     * releases what it made and runs {@code undo}, which gives the sockets back to their owner.
     */
    public static void start(IoEventLoop loop, Socket client, Socket upstream, SpliceSession session, Runnable undo) {
        Pipe toUpstream;
        Pipe toClient;
        try {
            toUpstream = Pipe.open();
        } catch (IOException e) {
            fallBack(client, "pipe() failed: " + e.getMessage());
            undo.run();
            return;
        }
        try {
            toClient = Pipe.open();
        } catch (IOException e) {
            toUpstream.close();
            fallBack(client, "pipe() failed: " + e.getMessage());
            undo.run();
            return;
        }
        SplicedRelay relay = new SplicedRelay(loop, client, upstream, session, toUpstream, toClient);
        relay.register(undo);
    }

    /** One debug line per session that could not splice; the relay goes on buffered. */
    private static void fallBack(Socket client, String why) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("stream session {}: staying buffered, {}", client.remoteAddress(), why);
        }
    }

    private void register(Runnable undo) {
        Future<IoRegistration> first = loop.register(clientSocket);
        first.addListener(f1 -> {
            if (!f1.isSuccess()) {
                abandon(undo, f1.cause());
                return;
            }
            clientSocket.registration = first.getNow();
            Future<IoRegistration> second = loop.register(upstreamSocket);
            second.addListener(f2 -> {
                if (!f2.isSuccess()) {
                    abandon(undo, f2.cause());
                    return;
                }
                upstreamSocket.registration = second.getNow();
                begin();
            });
        });
    }

    /** Registration failed: back to the buffered relay, with the sockets as they were. */
    private void abandon(Runnable undo, Throwable cause) {
        fallBack(clientSocket.socket, "epoll registration failed: " + cause);
        stopped = true;
        clientSocket.cancel();
        upstreamSocket.cancel();
        toUpstream.close();
        toClient.close();
        undo.run();
    }

    private void begin() {
        session.spliced(this);
        if (stopped) {
            return; // the session ended at once (a socket closed from outside)
        }
        if (clientToUpstream.waiting() != RelayWait.FINISHED && !pump(clientToUpstream, true, false)) {
            return;
        }
        if (upstreamToClient.waiting() != RelayWait.FINISHED && !pump(upstreamToClient, false, false)) {
            return;
        }
        settle();
    }

    /** Ends splicing: removes both sockets from epoll and closes the pipes. Idempotent; on the event loop. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        clientSocket.cancel();
        upstreamSocket.cancel();
        toUpstream.close();
        toClient.close();
    }

    // --- the loop's parts ---------------------------------------------------------------------------

    @Override
    protected boolean stopped() {
        return stopped;
    }

    @Override
    protected Socket socket(boolean clientSide) {
        return (clientSide ? clientSocket : upstreamSocket).socket;
    }

    @Override
    protected boolean pump(SpliceDirection direction, boolean fromClient, boolean hungUp) {
        long filled = direction.filled();
        long drained = direction.drained();
        IOException failure = null;
        try {
            direction.pump();
        } catch (IOException e) {
            failure = e;
        }
        // Before the failure is reported: an answer moved in the pump that then met the upstream's reset was sent.
        filled = direction.filled() - filled;
        drained = direction.drained() - drained;
        if (filled > 0 || drained > 0) {
            session.moved(fromClient, filled, drained);
        }
        if (failure == null) {
            return true;
        }
        if (failure instanceof SideException side) {
            fail(side.clientSide, (IOException) side.getCause());
        } else {
            fail(fromClient, failure);
        }
        return false;
    }

    @Override
    protected void fail(boolean clientSide, IOException cause) {
        stop();
        session.failed(clientSide, cause);
    }

    @Override
    protected void over() {
        stop();
        session.finished();
    }

    @Override
    protected void want(boolean clientSide, SpliceDirection out, SpliceDirection in) {
        (clientSide ? clientSocket : upstreamSocket).want(out, in);
    }

    // --- the pieces ----------------------------------------------------------------------------------

    /** One connected socket as this relay's epoll handle. */
    private static final class SocketEnd implements EpollIoHandle {
        private final SplicedRelay relay;
        private final boolean clientSide;
        private final Socket socket;
        private IoRegistration registration;
        private int submitted = -1;

        SocketEnd(SplicedRelay relay, boolean clientSide, Socket socket) {
            this.relay = relay;
            this.clientSide = clientSide;
            this.socket = socket;
        }

        /** Interest from the direction this socket feeds ({@code out}) and the one it receives ({@code in}). */
        void want(SpliceDirection out, SpliceDirection in) {
            if (registration == null || !registration.isValid()) {
                return;
            }
            if (out.hasSourceHungUp() && in.waiting() == RelayWait.FINISHED) {
                // Nothing can happen on this socket that the relay waits for; EPOLLHUP would fire forever.
                cancel();
                return;
            }
            int ops = EpollIoOps.EPOLLERR.value();
            if (out.waiting() == RelayWait.SOURCE && !out.hasSourceHungUp()) {
                ops |= EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value();
            }
            if (in.waiting() == RelayWait.SINK) {
                ops |= EpollIoOps.EPOLLOUT.value();
            }
            if (ops != submitted) {
                submitted = ops;
                registration.submit(EpollIoOps.valueOf(ops));
            }
        }

        void cancel() {
            if (registration != null && registration.isValid()) {
                registration.cancel();
            }
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            relay.ready(clientSide, ((EpollIoEvent) event).ops().value());
        }

        /** The event loop is shutting down: the sockets are not the owner's registrations, so it is told to close them. */
        @Override
        public void close() {
            if (!relay.stopped) {
                relay.stop();
                relay.session.loopClosing();
            }
        }
    }

    /** A pipe as two descriptors; closes both, once. */
    private record Pipe(FileDescriptor readEnd, FileDescriptor writeEnd) {
        static Pipe open() throws IOException {
            FileDescriptor[] fds = FileDescriptor.pipe();
            return new Pipe(fds[0], fds[1]);
        }

        void close() {
            closeQuietly(readEnd);
            closeQuietly(writeEnd);
        }

        private static void closeQuietly(FileDescriptor fd) {
            try {
                fd.close();
            } catch (IOException ignored) {
                // Closing a pipe end fails only if it is already closed; nothing is lost either way.
            }
        }
    }

    /** A direction's kernel calls on real descriptors; failures name the socket they happened on. */
    private static final class Ends implements SpliceDirection.Ends {
        private final SocketEnd source;
        private final Pipe pipe;
        private final SocketEnd sink;
        private final boolean passFinOn;

        Ends(SocketEnd source, Pipe pipe, SocketEnd sink, boolean passFinOn) {
            this.source = source;
            this.pipe = pipe;
            this.sink = sink;
            this.passFinOn = passFinOn;
        }

        @Override
        public int fill(int max) throws IOException {
            try {
                return Native.splice(source.socket.intValue(), -1, pipe.writeEnd().intValue(), -1, max);
            } catch (IOException e) {
                throw new SideException(source.clientSide, e);
            }
        }

        @Override
        public int drain(int max) throws IOException {
            try {
                return Native.splice(pipe.readEnd().intValue(), -1, sink.socket.intValue(), -1, max);
            } catch (IOException e) {
                throw new SideException(sink.clientSide, e);
            }
        }

        @Override
        public void endSink() throws IOException {
            if (!passFinOn) {
                return; // the relay is over (see over()): the session closes both sockets, which sends the FIN
            }
            try {
                sink.socket.shutdown(false, true);
            } catch (IOException e) {
                throw new SideException(sink.clientSide, e);
            }
        }
    }

    /** Carries which side a kernel call failed on through {@link SpliceDirection#pump}. */
    private static final class SideException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean clientSide;

        SideException(boolean clientSide, IOException cause) {
            super(cause.getMessage(), cause);
            this.clientSide = clientSide;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // Only a carrier between two frames of this class; the cause has its own trace.
            return this;
        }
    }
}
