package dev.proxyline.server.stream.raw;

import dev.proxyline.server.stream.RelayOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw relay between two connected socket pairs on one epoll event loop: the relay holds one end of each
 * pair, the test holds the far ends as blocking java.net sockets (the client and the upstream).
 */
final class RawRelayRig implements AutoCloseable {

    final EventLoopGroup group;
    final IoEventLoop loop;
    final java.net.Socket client;
    final java.net.Socket upstream;
    final CompletableFuture<RawRelay.RelayResult> result = new CompletableFuture<>();
    final AtomicInteger reports = new AtomicInteger();
    private final RawSocket clientEnd;
    private final RawSocket upstreamEnd;
    private RawRelay relay;

    /** @param group one epoll event loop, which the rig shuts down */
    RawRelayRig(EventLoopGroup group) throws Exception {
        this.group = group;
        this.loop = (IoEventLoop) group.next();
        Socket listener = Socket.newSocketStream();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen(4);
            InetSocketAddress at = listener.localAddress();
            client = connect(at);
            clientEnd = new RawSocket(accept(listener), null);
            upstream = connect(at);
            upstreamEnd = new RawSocket(accept(listener), null);
        } finally {
            listener.close();
        }
    }

    private static java.net.Socket connect(InetSocketAddress at) throws IOException {
        java.net.Socket s = new java.net.Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    private static Socket accept(Socket listener) throws Exception {
        byte[] remote = new byte[26];
        for (int i = 0; i < 500; i++) {
            int fd = listener.accept(remote);
            if (fd >= 0) {
                return new Socket(fd);
            }
            Thread.sleep(10);
        }
        throw new IOException("nothing to accept");
    }

    /** Registers both relay-side sockets and starts the relay on the loop. */
    RawRelayRig start(RelayOptions options, ByteBuffer first, int prefaceLength, boolean clientInputEnded)
            throws Exception {
        onLoop(() -> {
            clientEnd.register(loop, 0);
            upstreamEnd.register(loop, 0);
            relay = RawRelay.start(loop, clientEnd, upstreamEnd, options, first, prefaceLength, clientInputEnded,
                    r -> {
                        reports.incrementAndGet();
                        result.complete(r);
                    });
            return null;
        });
        return this;
    }

    RawRelayRig start(RelayOptions options) throws Exception {
        return start(options, ByteBuffer.allocate(0), 0, false);
    }

    RawRelay relay() {
        return relay;
    }

    RawRelay.RelayResult result() throws Exception {
        return result.get(30, TimeUnit.SECONDS);
    }

    <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.close();
        upstream.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
