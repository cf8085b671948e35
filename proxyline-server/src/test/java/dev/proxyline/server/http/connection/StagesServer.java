package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxyCounters;
import dev.proxyline.protocol.netty.ProxyReceiveStage;
import dev.proxyline.protocol.netty.ReceiveSettings;
import dev.proxyline.protocol.netty.RejectionLog;
import dev.proxyline.protocol.netty.TrustPolicy;
import dev.proxyline.server.tls.ListenTls;
import dev.proxyline.server.transport.EventLoops;
import dev.proxyline.server.transport.ListenerBootstrap;
import dev.proxyline.server.transport.ListenerOptions;
import dev.proxyline.server.transport.Transport;
import dev.proxyline.server.transport.WorkerThreads;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The connection stages of one socket on a loopback port, optionally behind a PROXY stage that requires a header. */
final class StagesServer implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final TlsHandshakes handshakes = new TlsHandshakes(RejectionLog.standard());
    private final EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(1));
    private final Channel listener;

    StagesServer(Optional<ListenTls> tls, boolean http2, boolean proxyProtocol) throws InterruptedException {
        this(tls, http2, proxyProtocol, Duration.ofSeconds(5));
    }

    StagesServer(Optional<ListenTls> tls, boolean http2, boolean proxyProtocol, Duration timeout)
            throws InterruptedException {
        HttpConnectionStages stages = HttpConnectionStages.forListen(tls, http2, timeout,
                new FactsRequestStage(), handshakes);
        Optional<ProxyReceiveStage> proxy = proxyProtocol
                ? Optional.of(new ProxyReceiveStage(ReceiveSettings.of(TrustPolicy.requireFromAll()), new ProxyCounters(),
                RejectionLog.standard()))
                : Optional.empty();
        AtomicLong serials = new AtomicLong();
        listener = new ListenerBootstrap(loops).bind(ListenerOptions.of(new InetSocketAddress(LOOPBACK, 0)),
                ch -> proxy.ifPresentOrElse(p -> stages.installBehind(p, ch, serials.incrementAndGet()),
                        () -> stages.install(ch, serials.incrementAndGet()))).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loops.close();
    }
}
