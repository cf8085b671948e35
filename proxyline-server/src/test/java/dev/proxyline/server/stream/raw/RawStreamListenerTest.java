package dev.proxyline.server.stream.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.server.transport.AcceptBatches;
import dev.proxyline.server.transport.ConnectionSlots;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.WorkerConnections;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawStreamListenerTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetAddress CLIENT = ip(127, 0, 0, 7);

    /** One accepted connection as the listener handed it over. */
    record Handed(IoEventLoop loop, boolean onLoop, Socket socket, InetSocketAddress remote, InetSocketAddress local,
                  ConnectionSlots slots) {
        void close() throws IOException {
            socket.close();
            slots.release();
        }
    }

    @BeforeAll
    static void needsEpoll() {
        assumeTrue(Transport.epollAvailable(), "epoll is not available here");
    }

    /** multi_accept on raw descriptors (see {@link AcceptBatches}). */
    @ParameterizedTest(name = "{0} per wake-up")
    @CsvSource({"1, A M A M A M A M", "2147483647, A A A A M M M M"})
    void oneWakeUpAcceptsAsManyAsTheListenSays(int acceptsPerWakeup, String order) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ListenerOptions options = new ListenerOptions(new InetSocketAddress(LOOPBACK, 0), 511, false, false, true,
                acceptsPerWakeup, OptionalInt.empty());
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1))) {
            RawStreamListener listener = RawStreamListener.bind(loops, options, (loop, socket, remote, local, slots) -> {
                seen.add("A");
                loop.execute(() -> seen.add("M"));
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                slots.release();
            }).sync().getNow();
            try {
                assertThat(AcceptBatches.order(loops.workers().next(), listener.localAddress(), seen)).isEqualTo(order);
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void handsTheConnectionsToEveryWorkerInTurnOnThatWorkerWithTheListenSocketOptions() throws Exception {
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        ListenerOptions options = new ListenerOptions(new InetSocketAddress(LOOPBACK, 0), 64, false, true,
                true, ListenerOptions.DEFAULT_ACCEPTS_PER_WAKEUP, OptionalInt.of(64 * 1024));
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(2))) {
            RawStreamListener listener = RawStreamListener.bind(loops, options, recorder(handed)).sync().getNow();
            try {
                Set<IoEventLoop> servedBy = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    try (java.net.Socket client = new java.net.Socket()) {
                        client.bind(new InetSocketAddress(CLIENT, 0));
                        client.connect(listener.localAddress());
                        Handed h = handed.poll(10, TimeUnit.SECONDS);
                        assertThat(h).as("connection %d was handed over", i).isNotNull();
                        assertThat(h.onLoop()).as("handed over on the worker that owns it").isTrue();
                        assertThat(h.remote()).isEqualTo(client.getLocalSocketAddress());
                        assertThat(h.local()).isEqualTo(listener.localAddress()).isEqualTo(client.getRemoteSocketAddress());
                        assertThat(h.socket().isTcpNoDelay()).isTrue();
                        assertThat(h.socket().isKeepAlive()).isTrue();
                        // Linux doubles what was asked for, for its bookkeeping.
                        assertThat(h.socket().getReceiveBufferSize()).isEqualTo(2 * 64 * 1024);
                        assertThat(h.slots().open()).isEqualTo(1);
                        servedBy.add(h.loop());
                        h.close();
                    }
                }
                assertThat(servedBy).hasSize(2);
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void onAWildcardBindEachConnectionHasTheAddressItReachedAsItsLocalAddress() throws Exception {
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1))) {
            RawStreamListener listener = RawStreamListener.bind(loops,
                    ListenerOptions.of(new InetSocketAddress(ip(0, 0, 0, 0), 0)), recorder(handed)).sync().getNow();
            try {
                int port = listener.localAddress().getPort();
                for (InetAddress reached : List.of(LOOPBACK, ip(127, 0, 0, 2))) {
                    try (java.net.Socket client = new java.net.Socket(reached, port)) {
                        Handed h = handed.poll(10, TimeUnit.SECONDS);
                        assertThat(h).isNotNull();
                        assertThat(h.local()).isEqualTo(new InetSocketAddress(reached, port));
                        h.close();
                    }
                }
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void keepAliveStaysOffUnlessTheListenTurnsItOn() throws Exception {
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1))) {
            RawStreamListener listener = RawStreamListener.bind(loops, ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                    recorder(handed)).sync().getNow();
            try (java.net.Socket client = new java.net.Socket(LOOPBACK, listener.localAddress().getPort())) {
                Handed h = handed.poll(10, TimeUnit.SECONDS);
                assertThat(h).isNotNull();
                assertThat(h.socket().isKeepAlive()).isFalse();
                assertThat(h.socket().isTcpNoDelay()).isTrue();
                h.close();
            } finally {
                listener.close().sync();
            }
        }
    }

    @Test
    void reusePortBindsOneSocketPerWorkerOnOnePortAndCloseClosesThemAll() throws Exception {
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        ListenerOptions options = ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)).withReusePort(true);
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(2))) {
            RawStreamListener listener = RawStreamListener.bind(loops, options, recorder(handed)).sync().getNow();
            int port = listener.localAddress().getPort();
            assertThat(port).isPositive();
            Set<IoEventLoop> servedBy = new HashSet<>();
            // The kernel picks the socket by a hash of the client's address and port; 24 clients all
            // landing on one of two sockets would happen once in 2^23 runs.
            for (int i = 0; i < 24; i++) {
                try (java.net.Socket client = new java.net.Socket(LOOPBACK, port)) {
                    Handed h = handed.poll(10, TimeUnit.SECONDS);
                    assertThat(h).as("connection %d was handed over", i).isNotNull();
                    assertThat(h.onLoop()).isTrue();
                    servedBy.add(h.loop());
                    h.close();
                }
            }
            assertThat(servedBy).hasSize(2);

            listener.close().sync();
            // Every socket of the port is closed once close() completes: a plain bind gets it at once.
            new ServerSocket(port, 1, LOOPBACK).close();
        }
    }

    @Test
    void aWorkerWithoutFreeSlotsClosesTheConnectionAndSaysWhy() throws Exception {
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(WorkerConnections.class.getName());
        Handler capture = capture(lines);
        logger.addHandler(capture);
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1), 1, System::nanoTime)) {
            RawStreamListener listener = RawStreamListener.bind(loops, ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                    recorder(handed)).sync().getNow();
            int port = listener.localAddress().getPort();
            try (java.net.Socket first = new java.net.Socket(LOOPBACK, port)) {
                Handed admitted = handed.poll(10, TimeUnit.SECONDS);
                assertThat(admitted).isNotNull();
                try (java.net.Socket second = new java.net.Socket(LOOPBACK, port)) {
                    second.setSoTimeout(10_000);
                    assertThat(second.getInputStream().read()).as("the refused connection is closed").isEqualTo(-1);
                    assertThat(handed.poll(200, TimeUnit.MILLISECONDS)).isNull();
                    assertThat(lines).containsExactly("1 worker_connections are not enough; closed the connection from "
                            + second.getLocalSocketAddress());
                }
                admitted.close();
                try (java.net.Socket third = new java.net.Socket(LOOPBACK, port)) {
                    Handed again = handed.poll(10, TimeUnit.SECONDS);
                    assertThat(again).as("a released slot admits the next connection").isNotNull();
                    again.close();
                }
            } finally {
                listener.close().sync();
            }
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void afterCloseAConnectIsRefused() throws Exception {
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(2))) {
            RawStreamListener listener = RawStreamListener.bind(loops, ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                    recorder(new LinkedBlockingQueue<>())).sync().getNow();
            InetSocketAddress address = listener.localAddress();
            assertThat(listener.close().await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> new java.net.Socket(address.getAddress(), address.getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aPortInUseFailsTheBindWithTheReason() throws Exception {
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(2));
             ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            for (boolean reusePort : new boolean[] {false, true}) {
                Future<RawStreamListener> bind = RawStreamListener.bind(loops,
                        ListenerOptions.of((InetSocketAddress) taken.getLocalSocketAddress()).withReusePort(reusePort),
                        recorder(new LinkedBlockingQueue<>()));
                assertThat(bind.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(bind.isSuccess()).isFalse();
                assertThat(bind.cause()).hasMessageContaining("Address already in use");
            }
        }
    }

    @Test
    void acceptsOnAnIpv6Address() throws Exception {
        InetAddress v6 = ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            assumeTrue(probe.isBound());
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
        }
        BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        try (EventLoops loops = EventLoops.start(Transport.epoll(), WorkerThreads.of(1))) {
            RawStreamListener listener = RawStreamListener.bind(loops, ListenerOptions.of(new InetSocketAddress(v6, 0)),
                    recorder(handed)).sync().getNow();
            try (java.net.Socket client = new java.net.Socket(v6, listener.localAddress().getPort())) {
                Handed h = handed.poll(10, TimeUnit.SECONDS);
                assertThat(h).isNotNull();
                assertThat(h.remote().getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(v6);
                assertThat(h.remote().getPort()).isEqualTo(client.getLocalPort());
                h.close();
            } finally {
                listener.close().sync();
            }
        }
    }

    private static RawStreamListener.Accepted recorder(BlockingQueue<Handed> handed) {
        return (loop, socket, remote, local, slots) ->
                handed.add(new Handed(loop, loop.inEventLoop(), socket, remote, local, slots));
    }

    private static Handler capture(List<String> lines) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private static InetAddress ip(int... bytes) {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
