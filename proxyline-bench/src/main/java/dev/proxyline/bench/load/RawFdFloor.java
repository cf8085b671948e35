package dev.proxyline.bench.load;

import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not a proxy: the floor of what a PROXY-sending L4 balancer costs per connection in this JVM when it
 * works on raw file descriptors instead of Netty channels. One epoll event loop (Netty's
 * {@link EpollIoHandler}, the same one proxyline's workers run) with one {@link EpollIoHandle} per socket:
 * accept, connect, the PROXY v1 header (proxyline's encoder) written with the client's first bytes, relay
 * of what either side sends, and both sockets closed at the first end of input (nginx's default
 * {@code proxy_half_close off}). Per session it also does what a real one cannot skip: an idle timer
 * scheduled and cancelled, and the local address read for the header.
 *
 * <p>What it leaves out, on purpose: partial writes end the session (the connections workload exchanges
 * 16 bytes each way, which a socket always takes whole), no upstream groups, retries, access log,
 * limits or PROXY receiving. {@code bench/l4-floor.sh} runs it beside proxyline and nginx under
 * {@link ConnectLoad}; docs/benchmarks.md says what the comparison shows.
 *
 * <pre>java -cp benchmarks.jar dev.proxyline.bench.load.RawFdFloor --listen 127.0.0.1:9000 --upstream 127.0.0.1:9001</pre>
 */
public final class RawFdFloor implements AutoCloseable {
    private static final int READABLE =
            EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value() | EpollIoOps.EPOLLERR.value();
    private static final int CONNECTING = EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value();
    private static final int ACCEPTS_PER_WAKEUP = 16;
    private static final long IDLE_TIMEOUT_SECONDS = 600;

    private final EventLoopGroup group;
    private final IoEventLoop loop;
    private final Socket listener;
    private final InetSocketAddress upstreamAddress;
    /** One read buffer for the whole loop: every read is written on before the next one. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024);

    private RawFdFloor(EventLoopGroup group, Socket listener, InetSocketAddress upstreamAddress) {
        this.group = group;
        this.loop = (IoEventLoop) group.next();
        this.listener = listener;
        this.upstreamAddress = upstreamAddress;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        LoadArgs options = LoadArgs.parse(args, List.of("listen", "upstream"));
        start(options.address("listen"), options.address("upstream"));
        Thread.currentThread().join();
    }

    /** Listens on {@code listen} (port 0: any) and relays every connection to {@code upstream}, on one new event loop. */
    static RawFdFloor start(InetSocketAddress listen, InetSocketAddress upstream) throws IOException {
        Socket listener = Socket.newSocketStream();
        listener.setReuseAddress(true);
        listener.bind(listen);
        listener.listen(4096);
        RawFdFloor floor = new RawFdFloor(new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()), listener,
                upstream);
        floor.loop.execute(() -> floor.register(floor.new Acceptor(listener), READABLE));
        return floor;
    }

    /** Where it listens. */
    InetSocketAddress address() throws IOException {
        return listener.localAddress();
    }

    /** Stops the event loop, which closes what it has registered, then the listening socket. */
    @Override
    public void close() throws IOException, InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        listener.close();
    }

    private void register(Handle handle, int ops) {
        loop.register(handle).addListener(registered -> {
            if (!registered.isSuccess()) {
                handle.close();
                return;
            }
            handle.registered((IoRegistration) registered.getNow(), ops);
        });
    }

    private interface Handle extends EpollIoHandle {
        void registered(IoRegistration registration, int ops);

        @Override
        void close();
    }

    private final class Acceptor implements Handle {
        private final Socket socket;
        private final byte[] remote = new byte[26];

        Acceptor(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
                int fd;
                try {
                    fd = socket.accept(remote);
                } catch (IOException e) {
                    return;
                }
                if (fd < 0) {
                    return;
                }
                new Session(new Socket(fd), NativeInetAddress.address(remote, 1, remote[0])).start();
            }
        }

        @Override
        public void registered(IoRegistration registration, int ops) {
            registration.submit(EpollIoOps.valueOf(ops));
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void close() {
        }
    }

    private final class Session {
        private final End client;
        private final End upstream;
        private final InetSocketAddress clientAddress;
        private ScheduledFuture<?> idleTimer;
        private InetSocketAddress localAddress;
        private boolean connected;
        private boolean closed;
        /** What the client sent before the upstream connected; goes out with the header. */
        private byte[] early;

        Session(Socket clientSocket, InetSocketAddress clientAddress) {
            this.clientAddress = clientAddress;
            this.client = new End(this, clientSocket, true);
            this.upstream = new End(this, null, false);
        }

        void start() {
            idleTimer = loop.schedule(this::close, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            try {
                localAddress = client.socket.localAddress();
                upstream.socket = Socket.newSocketStream();
                connected = upstream.socket.connect(upstreamAddress);
            } catch (IOException e) {
                close();
                return;
            }
            register(client, READABLE);
            register(upstream, connected ? READABLE : CONNECTING);
            if (connected) {
                sendHeader();
            }
        }

        void ready(End end, int ops) {
            if (closed) {
                return;
            }
            if (!end.clientSide && !connected) {
                finishConnect();
                return;
            }
            int n;
            try {
                n = end.socket.read(scratch, 0, scratch.capacity());
            } catch (IOException e) {
                close();
                return;
            }
            if (n < 0 || (n == 0 && (ops & EpollIoOps.EPOLLRDHUP.value()) != 0)) {
                close();
            } else if (n > 0 && end.clientSide && !connected) {
                early = new byte[n];
                scratch.get(0, early);
            } else if (n > 0) {
                writeScratch(end.clientSide ? upstream : client, n);
            }
        }

        private void finishConnect() {
            try {
                if (!upstream.socket.finishConnect()) {
                    return;
                }
            } catch (IOException e) {
                close();
                return;
            }
            connected = true;
            upstream.submit(READABLE);
            sendHeader();
        }

        private void sendHeader() {
            scratch.clear();
            ProxyHeaderEncoder.encode(ProxyHeader.tcp(ProtocolVersion.V1, clientAddress, localAddress), scratch);
            if (early != null) {
                scratch.put(early);
                early = null;
            }
            writeScratch(upstream, scratch.position());
        }

        private void writeScratch(End to, int length) {
            try {
                if (to.socket.write(scratch, 0, length) != length) {
                    close();
                }
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            idleTimer.cancel(false);
            client.close();
            upstream.close();
        }
    }

    private static final class End implements Handle {
        private final Session session;
        private final boolean clientSide;
        private Socket socket;
        private IoRegistration registration;
        private int wanted;

        End(Session session, Socket socket, boolean clientSide) {
            this.session = session;
            this.socket = socket;
            this.clientSide = clientSide;
        }

        @Override
        public void registered(IoRegistration registration, int ops) {
            this.registration = registration;
            if (session.closed) {
                close();
            } else {
                // The connect may have finished while the registration was on its way.
                submit(wanted == 0 ? ops : wanted);
            }
        }

        void submit(int ops) {
            wanted = ops;
            if (registration != null) {
                registration.submit(EpollIoOps.valueOf(ops));
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            session.ready(this, ((EpollIoEvent) event).ops().value());
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void close() {
            if (registration != null && registration.isValid()) {
                registration.cancel();
            }
            try {
                if (socket != null && socket.isOpen()) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // Closing a socket the peer reset: nothing left to release.
            }
        }
    }
}
