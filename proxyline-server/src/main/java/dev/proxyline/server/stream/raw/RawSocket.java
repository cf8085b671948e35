package dev.proxyline.server.stream.raw;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import java.io.IOException;

/**
 * One socket of a raw-descriptor stream session, registered with its worker's epoll event loop. Readiness
 * goes to whichever {@link Events} owns the socket at the moment: the session front while the PROXY
 * header is read and the upstream connects, the relay after. Interest is level-triggered and always
 * holds EPOLLERR: Netty 4.2.18 deletes a descriptor whose interest set becomes empty and then fails
 * the next change (see {@code dev.proxyline.server.transport.EpollInterestKeeper}).
 *
 * <p>Used on its event loop only; plain fields suffice.
 */
final class RawSocket implements EpollIoHandle {
    static final int IN = EpollIoOps.EPOLLIN.value();
    static final int OUT = EpollIoOps.EPOLLOUT.value();
    static final int RDHUP = EpollIoOps.EPOLLRDHUP.value();
    static final int ERR = EpollIoOps.EPOLLERR.value();
    /** Linux's EPOLLHUP; Netty has no public constant for it, but passes it through in event sets. */
    static final int HUP = 0x010;

    /** Whoever owns the socket's readiness right now. */
    interface Events {
        /** {@code ops}: the epoll event bits that fired. */
        void ready(RawSocket socket, int ops);

        /** The event loop is shutting down with the socket still registered. */
        void loopClosing(RawSocket socket);
    }

    private final Socket socket;
    private Events events;
    private IoRegistration registration;
    /** Interest asked for; submitted once the registration is there. */
    private int wanted = ERR;
    private int submitted = -1;
    private boolean closed;

    RawSocket(Socket socket, Events events) {
        this.socket = socket;
        this.events = events;
    }

    /** The descriptor, for reads, writes and socket options. */
    Socket socket() {
        return socket;
    }

    /** Hands the socket's readiness to {@code next}, from now on. */
    void handTo(Events next) {
        this.events = next;
    }

    /**
     * Registers with {@code loop} and asks for {@code ops} (EPOLLERR is always added). On the loop, a
     * registration completes at once. A failure closes the socket and is reported to the caller.
     */
    Future<IoRegistration> register(IoEventLoop loop, int ops) {
        wanted = ops | ERR;
        Future<IoRegistration> future = loop.register(this);
        future.addListener(done -> {
            if (!done.isSuccess()) {
                closeSocket();
                return;
            }
            registration = future.getNow();
            if (closed) {
                registration.cancel();
            } else {
                submit();
            }
        });
        return future;
    }

    /** Asks for {@code ops} from now on (EPOLLERR is always added); a no-op when that is already the interest. */
    void interest(int ops) {
        wanted = ops | ERR;
        submit();
    }

    /** The interest asked for, EPOLLERR included. */
    int interest() {
        return wanted;
    }

    private void submit() {
        if (registration != null && !closed && wanted != submitted) {
            submitted = wanted;
            registration.submit(EpollIoOps.valueOf(wanted));
        }
    }

    /**
     * Removes the socket from epoll without closing it, for a hand-over to another registration (the
     * spliced relay's). Interest asked for afterwards is ignored.
     */
    void deregister() {
        if (registration != null && registration.isValid()) {
            registration.cancel();
        }
        registration = null;
        submitted = -1;
    }

    /**
     * Removes the socket from epoll and closes it; idempotent. The descriptor goes last, so its number
     * is not reused while still registered.
     */
    void closeSocket() {
        if (closed) {
            return;
        }
        closed = true;
        deregister();
        try {
            socket.close();
        } catch (IOException ignored) {
            // close(2) fails only on a descriptor already closed; nothing is left to release.
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        events.ready(this, ((EpollIoEvent) event).ops().value());
    }

    /** Called by the event loop when it shuts down with the socket registered; the owner closes it. */
    @Override
    public void close() {
        if (!closed) {
            events.loopClosing(this);
        }
    }
}
