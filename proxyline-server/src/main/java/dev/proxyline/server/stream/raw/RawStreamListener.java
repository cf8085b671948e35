package dev.proxyline.server.stream.raw;

import dev.proxyline.protocol.netty.HeaderReception;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.server.transport.ConnectionSlots;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.Ipv6Only;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.WorkerConnections;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The listening socket(s) of one plain-TCP {@code stream} {@code listen} on the epoll workers, accepting
 * on raw descriptors. With {@link ListenerOptions#reusePort()} one socket per worker, each accepting its
 * own connections, as nginx binds one per worker process; otherwise one socket on one worker that hands
 * the connections to the workers in turn, as Netty's {@code ServerBootstrap} does. Each connection passes
 * the worker's {@code worker_connections} gate on the worker that serves it before {@link Accepted} sees it.
 */
public final class RawStreamListener {

    /** Takes over each admitted connection. */
    public interface Accepted {
        /**
         * On {@code loop}, the worker that owns the connection from now on; the socket is neither registered
         * nor read yet. The session owns {@code socket} and must call {@code slots.release()} exactly once,
         * when it closes. {@code local} is the connection's local address.
         */
        void accepted(IoEventLoop loop, Socket socket, InetSocketAddress remote, InetSocketAddress local,
                      ConnectionSlots slots);
    }

    private static final System.Logger LOG = System.getLogger(RawStreamListener.class.getName());
    /**
     * How long a failed accept (EMFILE, ENFILE) stops accepting, as Netty's ServerBootstrap does: the
     * connection stays queued, and level-triggered readiness would otherwise spin the loop.
     */
    private static final Duration ACCEPT_PAUSE = Duration.ofSeconds(1);

    private final List<Acceptor> acceptors;
    private final InetSocketAddress localAddress;

    private RawStreamListener(List<Acceptor> acceptors, InetSocketAddress localAddress) {
        this.acceptors = acceptors;
        this.localAddress = localAddress;
    }

    /**
     * Binds one listen on the epoll workers of {@code loops}; the future completes once every socket is
     * bound and registered, or fails with the cause (a bind's message names the error, such as "Address
     * already in use").
     *
     * @throws IllegalArgumentException if {@code loops} do not run on epoll
     */
    public static Future<RawStreamListener> bind(EventLoops loops, ListenerOptions options, Accepted accepted) {
        Objects.requireNonNull(loops, "loops");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(accepted, "accepted");
        if (!loops.transport().isNative()) {
            throw new IllegalArgumentException("raw stream listeners need the epoll transport, not " + loops.transport());
        }
        Promise<RawStreamListener> bound = ImmediateEventExecutor.INSTANCE.newPromise();
        RejectionLog acceptErrors = new RejectionLog(LOG, Duration.ofSeconds(10), System::nanoTime);
        List<Acceptor> acceptors = new ArrayList<>();
        InetSocketAddress local;
        try {
            if (options.reusePort()) {
                InetSocketAddress address = options.address();
                for (IoEventLoop worker : workers(loops.workers())) {
                    Socket socket = listen(options, address);
                    // Port 0 is resolved by the first bind; the others must share the port it got.
                    address = socket.localAddress();
                    acceptors.add(new Acceptor(worker, socket, () -> worker, options.acceptsPerWakeup(),
                            loops.connections(), accepted, acceptErrors));
                }
            } else {
                EventLoopGroup workers = loops.workers();
                acceptors.add(new Acceptor((IoEventLoop) loops.acceptors().next(), listen(options, options.address()),
                        () -> (IoEventLoop) workers.next(), options.acceptsPerWakeup(), loops.connections(), accepted,
                        acceptErrors));
            }
            local = acceptors.get(0).listening.socket().localAddress();
        } catch (IOException | RuntimeException e) {
            acceptors.forEach(Acceptor::closeUnregistered);
            return bound.setFailure(e);
        }
        RawStreamListener listener = new RawStreamListener(List.copyOf(acceptors), local);
        AtomicInteger pending = new AtomicInteger(acceptors.size());
        for (Acceptor acceptor : acceptors) {
            acceptor.register().addListener(registered -> {
                if (!registered.isSuccess()) {
                    if (bound.tryFailure(registered.cause())) {
                        listener.close();
                    }
                } else if (pending.decrementAndGet() == 0) {
                    bound.trySuccess(listener);
                }
            });
        }
        return bound;
    }

    /** The address the listen is bound to, with the port the kernel chose for port 0. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Stops accepting on every socket of the listen and closes them; connections still in the accept queue
     * are reset by the kernel. Completes once none accepts any more.
     */
    public Future<Void> close() {
        Promise<Void> closed = ImmediateEventExecutor.INSTANCE.newPromise();
        AtomicInteger pending = new AtomicInteger(acceptors.size());
        for (Acceptor acceptor : acceptors) {
            acceptor.close().addListener(done -> {
                if (pending.decrementAndGet() == 0) {
                    closed.setSuccess(null);
                }
            });
        }
        return closed;
    }

    private static List<IoEventLoop> workers(EventLoopGroup group) {
        List<IoEventLoop> workers = new ArrayList<>();
        group.forEach(loop -> workers.add((IoEventLoop) loop));
        return workers;
    }

    /**
     * A listening socket with the options that accepted sockets inherit from it on Linux (TCP_NODELAY,
     * SO_KEEPALIVE, SO_RCVBUF), so that an accepted socket needs no setsockopt of its own; a receive buffer
     * set before listen(2) also sizes the window scale the handshake offers, as nginx's rcvbuf= does.
     */
    private static Socket listen(ListenerOptions options, InetSocketAddress address) throws IOException {
        // A socket of the address's own family, as nginx creates it (see Transport.newServerChannel).
        Socket socket = LinuxSocket.newSocketStream(
                options.isIpv6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        try {
            if (options.isIpv6()) {
                Ipv6Only.set(socket, options.ipv6Only());
            }
            socket.setReuseAddress(true);
            if (options.reusePort()) {
                socket.setReusePort(true);
            }
            socket.setTcpNoDelay(true);
            if (options.keepAlive()) {
                socket.setKeepAlive(true);
            }
            if (options.receiveBufferSize().isPresent()) {
                socket.setReceiveBufferSize(options.receiveBufferSize().getAsInt());
            }
            socket.bind(address);
            socket.listen(options.backlog());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One listening socket, on the loop it is registered with; its fields are touched on that loop only. */
    private static final class Acceptor implements RawSocket.Events {
        private final IoEventLoop loop;
        private final RawSocket listening;
        private final Supplier<IoEventLoop> nextWorker;
        private final int acceptsPerWakeup;
        private final WorkerConnections connections;
        private final Accepted accepted;
        private final RejectionLog acceptErrors;
        /** Filled by accept(2): length, address, port and scope id of the peer. */
        private final byte[] peer = new byte[26];
        /**
         * The bound address, which every connection accepted on a specific address has as its own local address;
         * empty for a wildcard bind, whose connections each ask the kernel (getsockname) which address they reached.
         */
        private final Optional<InetSocketAddress> specific;
        private ScheduledFuture<?> resume;

        Acceptor(IoEventLoop loop, Socket socket, Supplier<IoEventLoop> nextWorker, int acceptsPerWakeup,
                 WorkerConnections connections,
                 Accepted accepted, RejectionLog acceptErrors) {
            this.loop = loop;
            this.listening = new RawSocket(socket, this);
            this.nextWorker = nextWorker;
            this.acceptsPerWakeup = acceptsPerWakeup;
            this.connections = connections;
            this.accepted = accepted;
            this.acceptErrors = acceptErrors;
            InetSocketAddress bound = socket.localAddress();
            this.specific = bound.getAddress().isAnyLocalAddress() ? Optional.empty() : Optional.of(bound);
        }

        Future<?> register() {
            return listening.register(loop, RawSocket.IN);
        }

        @Override
        public void ready(RawSocket socket, int ops) {
            if (resume != null) {
                // Paused: only an error condition, which epoll reports whatever the interest, comes here.
                return;
            }
            for (int i = 0; i < acceptsPerWakeup && !listening.isClosed(); i++) {
                int fd;
                try {
                    fd = listening.socket().accept(peer);
                } catch (IOException e) {
                    pause(e);
                    return;
                }
                if (fd < 0) {
                    return;
                }
                hand(LinuxSocket.newSocket(fd), NativeInetAddress.address(peer, 1, peer[0]));
            }
        }

        private void pause(IOException e) {
            acceptErrors.alert("listener " + HeaderReception.format(listening.socket().localAddress()) + ": "
                    + e.getMessage() + "; not accepting for " + ACCEPT_PAUSE.toMillis() + " ms");
            listening.interest(0);
            resume = loop.schedule(() -> {
                resume = null;
                listening.interest(RawSocket.IN);
            }, ACCEPT_PAUSE.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void hand(Socket socket, InetSocketAddress remote) {
            IoEventLoop worker = nextWorker.get();
            if (worker == loop) {
                admit(worker, socket, remote);
                return;
            }
            try {
                worker.execute(() -> admit(worker, socket, remote));
            } catch (RejectedExecutionException shuttingDown) {
                closeQuietly(socket);
            }
        }

        private void admit(IoEventLoop worker, Socket socket, InetSocketAddress remote) {
            Optional<ConnectionSlots> slots = connections.admit(worker, remote);
            if (slots.isEmpty()) {
                closeQuietly(socket);
                return;
            }
            InetSocketAddress local = specific.isPresent() ? specific.get() : socket.localAddress();
            accepted.accepted(worker, socket, remote, local, slots.get());
        }

        /** Stops accepting, on the loop; the future completes once the socket is closed. */
        Future<Void> close() {
            Promise<Void> closed = ImmediateEventExecutor.INSTANCE.newPromise();
            try {
                loop.execute(() -> {
                    stop();
                    closed.setSuccess(null);
                });
            } catch (RejectedExecutionException shuttingDown) {
                // The loop closes what is registered with it as it ends (loopClosing).
                loop.terminationFuture().addListener(done -> closed.trySuccess(null));
            }
            return closed;
        }

        /** Before registration, on the binding thread: nothing else has seen the socket. */
        void closeUnregistered() {
            listening.closeSocket();
        }

        private void stop() {
            if (resume != null) {
                resume.cancel(false);
                resume = null;
            }
            listening.closeSocket();
        }

        @Override
        public void loopClosing(RawSocket socket) {
            stop();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // close(2) fails only on a descriptor already closed; nothing is left to release.
            }
        }
    }
}
