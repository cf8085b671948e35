package dev.proxyline.server.stream.raw;

import dev.proxyline.server.transport.UpstreamOptions;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Connects a raw session's upstream: each attempt a non-blocking connect(2) on a new socket registered with
 * the client's event loop (EPOLLOUT, then finishConnect), bounded by {@code proxy_connect_timeout}, from
 * {@code proxy_bind}'s address, with TCP_NODELAY as Netty sets it on its channels; or, to a {@code unix:PATH}
 * server, on a UNIX-domain stream socket, which takes none of these (splice(2) moves bytes between it and TCP
 * alike). Which server to try and whether to retry after a failure is the {@link Attempts} policy's decision,
 * the same one the channel path uses; this class only drives the sockets. Used on its event loop only.
 */
public final class RawUpstreamConnect implements RawSocket.Events {

    /**
     * The upstream group's policy for one session, as the channel path applies it too.
     */
    public interface Attempts {
        /** The next server to connect, or why none is left. */
        Next next();

        /** The server of the last {@link Connect} accepted the connection. */
        void connected();

        /**
         * The server of the last {@link Connect} failed with {@code cause} (a {@link ConnectTimeoutException}
         * for {@code proxy_connect_timeout}); says whether and where to try next.
         *
         * @param clientActive false once the client is gone: no further server is tried for it
         */
        Next failed(Throwable cause, boolean clientActive);

        /** The connected upstream was closed: the server is released. */
        void released();

        /** What to do next. */
        sealed interface Next permits Connect, GiveUp {
        }

        /** Connect to {@code address}: an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}. */
        record Connect(SocketAddress address) implements Next {
            public Connect {
                Objects.requireNonNull(address, "address");
            }
        }

        /** Stop trying; {@code why} says what happened, for the session's error. */
        record GiveUp(Exception why) implements Next {
            public GiveUp {
                Objects.requireNonNull(why, "why");
            }
        }
    }

    /** Where the result goes, once, on the loop. */
    interface Done {
        /**
         * {@code upstream} is connected and registered, still asking for EPOLLOUT; the caller owns it now and sets
         * the interest it needs at once (one epoll_ctl, not two).
         */
        void connected(RawSocket upstream, SocketAddress address);

        /** No server could be connected; {@code why} from {@link Attempts.GiveUp}. */
        void failed(Exception why);

        /** Whether the client is still there, so that a failed attempt may be retried elsewhere. */
        boolean clientActive();
    }

    private final IoEventLoop loop;
    private final UpstreamOptions options;
    private final Attempts attempts;
    private final Done done;
    private RawSocket socket;
    private SocketAddress address;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    RawUpstreamConnect(IoEventLoop loop, UpstreamOptions options, Attempts attempts, Done done) {
        this.loop = loop;
        this.options = options;
        this.attempts = attempts;
        this.done = done;
    }

    /**
     * Starts the first attempt. Set up first and begun here, since {@link Done} may be told before this
     * returns (a refused loopback connect fails at once).
     */
    void begin() {
        attempt(attempts.next());
    }

    /**
     * Stops connecting without a report (the session is being cut): the socket of the attempt in flight is
     * closed and its server released.
     */
    void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimeout();
        if (socket != null) {
            socket.closeSocket();
            socket = null;
            attempts.released();
        }
    }

    private void attempt(Attempts.Next next) {
        while (next instanceof Attempts.Connect connect) {
            address = connect.address();
            try {
                if (open(address)) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                closeAttempt();
                next = attempts.failed(e, done.clientActive());
                continue;
            }
            return;
        }
        finished = true;
        done.failed(((Attempts.GiveUp) next).why());
    }

    /** Opens, registers and connects a socket; true when it connected at once (and was reported). */
    private boolean open(SocketAddress remote) throws IOException {
        Socket fd;
        boolean connected;
        if (remote instanceof InetSocketAddress inet) {
            // Of the upstream's family, as the channel path's sockets: Netty's default is a dual-stack IPv6 socket,
            // which costs an IPV6_V6ONLY setsockopt per connection and reaches an IPv4 upstream through a mapped
            // address.
            fd = LinuxSocket.newSocketStream(inet.getAddress() instanceof Inet6Address);
            socket = new RawSocket(fd, this);
            fd.setTcpNoDelay(true);
            if (options.keepAlive()) {
                fd.setKeepAlive(true);
            }
            if (options.bindAddress().isPresent()) {
                fd.bind(new InetSocketAddress(options.bindAddress().get(), 0));
            }
            connected = fd.connect(inet);
        } else {
            fd = LinuxSocket.newSocketDomain();
            socket = new RawSocket(fd, this);
            connected = fd.connect(new DomainSocketAddress(((UnixDomainSocketAddress) remote).getPath().toString()));
        }
        Future<IoRegistration> registered = socket.register(loop, connected ? 0 : RawSocket.OUT);
        if (!registered.isSuccess()) {
            socket = null; // register() closed it
            throw new IOException("cannot register the upstream socket: " + registered.cause(), registered.cause());
        }
        if (connected) {
            succeed();
            return true;
        }
        long millis = options.connectTimeout().toMillis();
        timeout = loop.schedule(() -> timedOut(millis, remote), millis, TimeUnit.MILLISECONDS);
        return false;
    }

    @Override
    public void ready(RawSocket ready, int ops) {
        if (ready != socket || finished) {
            return;
        }
        try {
            if (!socket.socket().finishConnect()) {
                return;
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        succeed();
    }

    private void succeed() {
        cancelTimeout();
        finished = true;
        RawSocket connected = socket;
        socket = null;
        attempts.connected();
        done.connected(connected, address);
    }

    private void timedOut(long millis, SocketAddress remote) {
        timeout = null;
        if (!finished) {
            // Worded as Netty's channels word it, so that both paths log the same line.
            fail(new ConnectTimeoutException("connection timed out after " + millis + " ms: " + remote));
        }
    }

    private void fail(Throwable cause) {
        fail(cause, done.clientActive());
    }

    private void fail(Throwable cause, boolean retry) {
        cancelTimeout();
        closeAttempt();
        attempt(attempts.failed(cause, retry));
    }

    private void closeAttempt() {
        if (socket != null) {
            socket.closeSocket();
            socket = null;
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** The loop shuts down mid-attempt: the attempt fails, and with the loop gone nothing is retried. */
    @Override
    public void loopClosing(RawSocket closing) {
        if (closing == socket && !finished) {
            fail(new IOException("the event loop shut down while connecting to " + address), false);
        }
    }
}
