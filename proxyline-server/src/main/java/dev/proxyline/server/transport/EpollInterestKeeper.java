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

/**
 * Netty's {@link EpollIoHandler} with one defect of Netty 4.2.18 worked around: it must never be
 * asked for an empty interest set while a socket can still be written to.
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
 */
final class EpollInterestKeeper implements IoHandler {

    private final IoHandler netty;

    private EpollInterestKeeper(IoHandler netty) {
        this.netty = netty;
    }

    /** Netty's epoll handler factory, each handler wrapped. */
    static IoHandlerFactory factory() {
        IoHandlerFactory netty = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new EpollInterestKeeper(netty.newHandler(executor));
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
            KeptRegistration kept = new KeptRegistration(epoll, socket);
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
        return netty.run(context);
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
     * registration, Netty's handler sees it as the channel. Used on the channel's event loop only,
     * like the registration it wraps.
     */
    private static final class KeptRegistration implements IoRegistration, EpollIoHandle {
        private final EpollIoHandle channel;
        private final Socket socket;
        private IoRegistration netty;
        /** Netty's registration holds EPOLLERR in place of the empty set the channel asked for. */
        private boolean standIn;
        /** The descriptor was removed from the epoll set; Netty still believes it is there. */
        private boolean removed;

        KeptRegistration(EpollIoHandle channel, Socket socket) {
            this.channel = channel;
            this.socket = socket;
        }

        @Override
        public long submit(IoOps ops) {
            boolean empty = ((EpollIoOps) ops).value() == 0;
            if (removed) {
                // Deleting twice would fail with ENOENT; anything else fails as it would without us,
                // on a socket that is reset or shut both ways.
                return empty ? 0 : netty.submit(ops);
            }
            if (!empty) {
                standIn = false;
                return netty.submit(ops);
            }
            if (socket.isOutputShutdown()) {
                return remove();
            }
            standIn = true;
            netty.submit(EpollIoOps.EPOLLERR);
            return 0;
        }

        private long remove() {
            standIn = false;
            removed = true;
            return netty.submit(EpollIoOps.NONE);
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            // While the stand-in is registered the kernel can only report EPOLLERR or EPOLLHUP.
            boolean errorOrHangUp = standIn;
            channel.handle(this, event);
            if (errorOrHangUp && standIn && netty.isValid()) {
                remove();
            }
        }

        @Override
        public <T> T attachment() {
            return netty.attachment();
        }

        @Override
        public boolean isValid() {
            return netty.isValid();
        }

        @Override
        public boolean cancel() {
            return netty.cancel();
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
    }
}
