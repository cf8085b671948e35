package dev.proxyline.server.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.UncheckedIOException;
import java.util.ArrayList;

/**
 * Netty's {@link EpollIoHandler} with one defect of Netty 4.2.18 worked around, and the interest
 * changes of each round of events coalesced into at most one {@code epoll_ctl} per socket.
 *
 * <p>The defect: {@code EpollIoHandler.DefaultEpollIoRegistration.submit} answers an empty interest
 * set with {@code EPOLL_CTL_DEL} but keeps the registration's state "added", so the next non-empty
 * submit is an {@code EPOLL_CTL_MOD} of a descriptor that is no longer in the epoll set and fails
 * with ENOENT. A connected socket reaches the empty set once its input is shut down (no EPOLLIN,
 * EPOLLRDHUP already reported) while nothing waits to be written; the next write that fills the
 * send buffer then fails. A proxy meets exactly that: a client sends its request, half-closes, and
 * reads a response larger than the socket buffers.
 *
 * <p>The workaround keeps EPOLLERR registered instead of the empty set while the socket's output is
 * open. The kernel reports EPOLLERR and EPOLLHUP whatever the mask says, so this asks for nothing
 * an empty mask would not get, and later submits stay valid {@code EPOLL_CTL_MOD}s. Because Netty
 * registers level-triggered, a lone EPOLLERR or EPOLLHUP on such a socket (a reset, or both
 * directions shut) would be reported on every wake-up; after Netty has seen it once, the descriptor
 * is removed as Netty itself would have done, since a dead or fully shut socket needs no more
 * readiness events.
 *
 * <p>Coalescing: Netty submits a socket's whole interest set on every change and repeats it where
 * nothing changed (a finished connect clears EPOLLOUT, submits the same set again, and the relay then
 * adds EPOLLIN: three system calls for one change). Interest only matters when the loop next waits,
 * so submits are recorded and applied when the round of events ends and before the next wait, once
 * per socket and only when the set differs from what the kernel has. A cancelled registration is
 * applied the same way: a channel closes its socket right after cancelling, and Netty skips the
 * {@code EPOLL_CTL_DEL} for a descriptor that is already closed, which the kernel drops from the set
 * by itself. A pending cancel is applied before its descriptor number is registered again, so a
 * reused number never meets a stale registration.
 */
final class EpollInterestKeeper implements IoHandler {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(EpollInterestKeeper.class);

    private final IoHandler netty;
    private final ThreadAwareExecutor executor;
    /** Registrations with a submit or cancel not yet applied; touched on the event loop only. */
    private final ArrayList<KeptRegistration> changed = new ArrayList<>();

    private EpollInterestKeeper(IoHandler netty, ThreadAwareExecutor executor) {
        this.netty = netty;
        this.executor = executor;
    }

    /** Netty's epoll handler factory, each handler wrapped. */
    static IoHandlerFactory factory() {
        IoHandlerFactory netty = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new EpollInterestKeeper(netty.newHandler(executor), executor);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return netty.isChangingThreadSupported();
            }
        };
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        if (handle instanceof EpollIoHandle epoll && epoll.fd() instanceof Socket socket) {
            cancelReusedDescriptor(socket.intValue());
            KeptRegistration kept = new KeptRegistration(this, epoll, socket);
            kept.netty = netty.register(kept);
            return kept;
        }
        return netty.register(handle);
    }

    @Override
    public void initialize() {
        netty.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        // Changes made by tasks since the last round first: the wait must see them.
        applyChanges();
        int handled = netty.run(context);
        applyChanges();
        return handled;
    }

    private void applyChanges() {
        // Indexed: applying a change can close a channel, whose cancel queues itself at the end.
        for (int i = 0; i < changed.size(); i++) {
            changed.get(i).apply();
        }
        changed.clear();
    }

    /** A closed channel's pending cancel must reach Netty before its descriptor number is registered again. */
    private void cancelReusedDescriptor(int fd) {
        for (KeptRegistration pending : changed) {
            if (pending.cancelled && pending.socket.intValue() == fd) {
                pending.apply();
            }
        }
    }

    private void queue(KeptRegistration registration) {
        changed.add(registration);
    }

    @Override
    public void prepareToDestroy() {
        netty.prepareToDestroy();
    }

    @Override
    public void destroy() {
        netty.destroy();
    }

    @Override
    public void wakeup() {
        netty.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return netty.isCompatible(handleType);
    }

    /**
     * Stands between a socket channel and its Netty registration: the channel sees it as its
     * registration, Netty's handler sees it as the channel. Used on the channel's event loop, like
     * the registration it wraps (a cancel from elsewhere goes straight to Netty).
     */
    private static final class KeptRegistration implements IoRegistration, EpollIoHandle {
        private static final int NOTHING = -1;

        private final EpollInterestKeeper keeper;
        private final EpollIoHandle channel;
        private final Socket socket;
        private IoRegistration netty;
        /** Netty's registration holds EPOLLERR in place of the empty set the channel asked for. */
        private boolean standIn;
        /** The descriptor was removed from the epoll set; Netty still believes it is there. */
        private boolean removed;
        /** The set the channel's submits ask for, with the stand-in applied; NOTHING before the first. */
        private int wanted = NOTHING;
        /** The set last handed to Netty (and the kernel). */
        private int applied = NOTHING;
        private boolean cancelled;
        private boolean queued;

        KeptRegistration(EpollInterestKeeper keeper, EpollIoHandle channel, Socket socket) {
            this.keeper = keeper;
            this.channel = channel;
            this.socket = socket;
        }

        @Override
        public long submit(IoOps ops) {
            int requested = ((EpollIoOps) ops).value();
            if (cancelled) {
                return -1;
            }
            if (removed) {
                // Deleting twice would fail with ENOENT; anything else fails as it would without us,
                // on a socket that is reset or shut both ways.
                if (requested != 0) {
                    want(requested);
                }
                return requested;
            }
            if (requested != 0) {
                standIn = false;
                want(requested);
                return requested;
            }
            if (socket.isOutputShutdown()) {
                remove();
                return 0;
            }
            standIn = true;
            want(EpollIoOps.EPOLLERR.value());
            return 0;
        }

        private void remove() {
            standIn = false;
            removed = true;
            want(0);
        }

        private void want(int ops) {
            wanted = ops;
            queue();
        }

        private void queue() {
            if (!queued) {
                queued = true;
                keeper.queue(this);
            }
        }

        /** Hands the latest wanted set, or the cancel, to Netty: at most one system call. */
        void apply() {
            queued = false;
            if (cancelled) {
                // Netty answers a second cancel with false and nothing else.
                netty.cancel();
                return;
            }
            if (wanted == applied || wanted == NOTHING) {
                return;
            }
            applied = wanted;
            try {
                netty.submit(EpollIoOps.valueOf(wanted));
            } catch (UncheckedIOException e) {
                // As Netty does when its own submit fails: the descriptor is unusable, so is the channel.
                LOG.debug("epoll_ctl failed for {}, closing it: {}", socket, e.getMessage());
                closeChannel();
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (cancelled) {
                // An event of the round that closed the channel; its cancel is not applied yet.
                return;
            }
            // While the stand-in is registered the kernel can only report EPOLLERR or EPOLLHUP.
            boolean errorOrHangUp = standIn && applied == wanted;
            channel.handle(this, event);
            if (errorOrHangUp && standIn && !cancelled) {
                remove();
            }
        }

        @Override
        public <T> T attachment() {
            return netty.attachment();
        }

        @Override
        public boolean isValid() {
            return !cancelled && netty.isValid();
        }

        @Override
        public boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            if (!keeper.executor.isExecutorThread(Thread.currentThread())) {
                return netty.cancel();
            }
            queue();
            return true;
        }

        @Override
        public FileDescriptor fd() {
            return channel.fd();
        }

        @Override
        public void registered() {
            channel.registered();
        }

        @Override
        public void unregistered() {
            channel.unregistered();
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", socket, e.getMessage());
            }
        }
    }
}
