package dev.proxyline.server.stream;

import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.UpstreamBootstrap;
import dev.proxyline.server.transport.UpstreamOptions;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A proxy on loopback between a test client (bound to 127.0.0.7) and a blocking upstream server.
 * Everything is closed by {@link #close()}.
 */
final class ProxyHarness implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetAddress CLIENT_ADDRESS = ip(127, 0, 0, 7);

    final EventLoops loops;
    final ServerSocket upstreamServer;
    final Channel listener;
    final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    final BlockingQueue<Future<SessionOutcome>> outcomes = new LinkedBlockingQueue<>();

    ProxyHarness(Transport transport, RelayOptions options, UpstreamPreface preface) throws Exception {
        this(transport, options, preface, null, ch -> {});
    }

    ProxyHarness(
            Transport transport,
            RelayOptions options,
            UpstreamPreface preface,
            InetSocketAddress upstreamOverride,
            Consumer<Channel> afterHandOver)
            throws Exception {
        this(transport, options, preface, upstreamOverride, afterHandOver, UnaryOperator.identity());
    }

    /**
     * @param upstreamOverride connect here instead of the harness's upstream server (null: the server)
     * @param afterHandOver runs in the accepted channel's initializer right after {@code handle}
     * @param connectorWrapper wraps the connector the proxy uses (to hold a connect back, say)
     */
    ProxyHarness(
            Transport transport,
            RelayOptions options,
            UpstreamPreface preface,
            InetSocketAddress upstreamOverride,
            Consumer<Channel> afterHandOver,
            UnaryOperator<UpstreamConnector> connectorWrapper)
            throws Exception {
        loops = EventLoops.start(transport, WorkerThreads.of(2));
        upstreamServer = new ServerSocket(0, 50, LOOPBACK);
        InetSocketAddress target = upstreamOverride != null
                ? upstreamOverride
                : new InetSocketAddress(LOOPBACK, upstreamServer.getLocalPort());
        UpstreamConnector connector = connectorWrapper.apply(new FixedUpstreamConnector(
                new UpstreamBootstrap(UpstreamOptions.defaults().withConnectTimeout(Duration.ofSeconds(5))), target));
        StreamProxy proxy = new StreamProxy(options, connector, preface, Clock.systemUTC());
        listener = new ListenerBootstrap(loops)
                .bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)), ch -> {
                    // handle() runs synchronously here (we are on the channel's loop), so tests
                    // that take the channel from the queue see it already configured.
                    outcomes.add(proxy.handle(ch));
                    afterHandOver.accept(ch);
                    accepted.add(ch);
                })
                .sync()
                .channel();
    }

    /**
     * A connector wrapper that starts the real connect only once {@code allowed} completes: what a client
     * does meanwhile (bytes, a FIN) happens while its session waits for the upstream.
     */
    static UnaryOperator<UpstreamConnector> connectingOnceAllowed(CompletableFuture<Void> allowed) {
        return real -> client -> {
            Promise<Channel> connected = client.eventLoop().newPromise();
            allowed.thenRun(() -> client.eventLoop().execute(() -> real.connect(client).addListener(
                    (Future<Channel> f) -> {
                        if (f.isSuccess()) {
                            connected.setSuccess(f.getNow());
                        } else {
                            connected.setFailure(f.cause());
                        }
                    })));
            return connected;
        };
    }

    /** A client socket from 127.0.0.7 connected to the proxy, with a read timeout so tests cannot hang. */
    /** A loopback address where nothing listens: a port just released, so connecting there is refused. */
    static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    Socket connectClient() throws IOException {
        return connectClient(0);
    }

    /** A client whose receive buffer is {@code receiveBuffer} bytes from its first segment on; 0 leaves the kernel's. */
    Socket connectClient(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setSoTimeout(20_000);
        s.bind(new InetSocketAddress(CLIENT_ADDRESS, 0));
        s.connect(listener.localAddress(), 5_000);
        return s;
    }

    Socket acceptUpstream() throws IOException {
        upstreamServer.setSoTimeout(10_000);
        Socket s = upstreamServer.accept();
        s.setSoTimeout(20_000);
        return s;
    }

    Channel acceptedChannel() throws InterruptedException {
        Channel ch = accepted.poll(10, TimeUnit.SECONDS);
        if (ch == null) {
            throw new AssertionError("no connection was accepted");
        }
        return ch;
    }

    SessionOutcome outcome() throws Exception {
        Future<SessionOutcome> f = outcomes.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no session was started");
        }
        if (!f.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("session did not end");
        }
        return f.getNow();
    }

    @Override
    public void close() throws IOException {
        listener.close().awaitUninterruptibly();
        upstreamServer.close();
        loops.close();
    }

    private static InetAddress ip(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
