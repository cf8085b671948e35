package dev.proxyline.bench.load;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far end of the L4 benchmarks: one NIO thread serving listeners that each expect a PROXY
 * header or none, then either discard everything (bulk sink, idle connections) or answer a
 * 16-byte request with 16 bytes (new connections). A connection whose header is missing or
 * invalid is closed and counted, so a proxy that does not send the header shows up as client
 * errors, not as a fast result.
 *
 * <pre>java -cp benchmarks.jar dev.proxyline.bench.load.Receiver 127.0.0.1:9001,discard,proxy 127.0.0.1:9002,respond,none</pre>
 */
public final class Receiver implements AutoCloseable {
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final int HEADER_BUFFER_BYTES = 1024;

    enum Mode { DISCARD, RESPOND }

    record Listener(InetSocketAddress address, Mode mode, boolean proxyHeader) {
        static Listener parse(String spec) {
            String[] parts = spec.split(",");
            if (parts.length != 3 || !parts[2].matches("proxy|none")) {
                throw new IllegalArgumentException("listener spec is IP:PORT,discard|respond,proxy|none: " + spec);
            }
            return new Listener(LoadArgs.socketAddress(parts[0]), Mode.valueOf(parts[1].toUpperCase(Locale.ROOT)),
                    parts[2].equals("proxy"));
        }
    }

    /** Per connection: the header still being read (if any), then how much request is left. */
    private static final class Connection {
        final Listener listener;
        ByteBuffer headerBytes;
        int requestLeft = Exchange.REQUEST_BYTES;

        Connection(Listener listener) {
            this.listener = listener;
            this.headerBytes = listener.proxyHeader() ? ByteBuffer.allocate(HEADER_BUFFER_BYTES) : null;
        }
    }

    private final Selector selector;
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final Thread loop;
    private volatile boolean closing;
    private final ProxyHeaderDecoder decoder = new ProxyHeaderDecoder();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final ByteBuffer response = ByteBuffer.allocateDirect(Exchange.RESPONSE_BYTES);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong headers = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public static void main(String[] args) throws IOException, InterruptedException {
        List<Listener> listeners = new ArrayList<>();
        for (String spec : args) {
            listeners.add(Listener.parse(spec));
        }
        Receiver receiver = start(listeners);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(receiver.summary())));
        System.out.println("receiver listening " + listeners);
        System.out.flush();
        receiver.loop.join();
    }

    /** Binds every listener (port 0 picks a free one) and serves them on a thread of its own. */
    static Receiver start(List<Listener> listeners) throws IOException {
        return new Receiver(listeners);
    }

    private Receiver(List<Listener> listeners) throws IOException {
        selector = Selector.open();
        try {
            for (Listener listener : listeners) {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.configureBlocking(false);
                // Registered before binding, so that a failed bind still closes it with the others.
                server.register(selector, SelectionKey.OP_ACCEPT, listener);
                server.bind(listener.address(), 4096);
                addresses.add((InetSocketAddress) server.getLocalAddress());
            }
        } catch (IOException | RuntimeException e) {
            closeAll();
            throw e;
        }
        while (response.hasRemaining()) {
            response.put((byte) 'a');
        }
        loop = new Thread(this::serve, "receiver");
        loop.start();
    }

    /** The bound addresses, in the order of the listeners. */
    List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    long headers() {
        return headers.get();
    }

    long refused() {
        return refused.get();
    }

    long bytes() {
        return bytes.get();
    }

    String summary() {
        return "receiver accepted=" + accepted + " headers=" + headers + " refused=" + refused + " bytes=" + bytes;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        selector.wakeup();
        loop.join();
    }

    private void serve() {
        try {
            select();
        } catch (IOException e) {
            System.err.println("receiver stopped: " + e);
        } finally {
            closeAll();
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // Closing everything on the way out; nothing to report per channel.
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // As above.
        }
    }

    private void select() throws IOException {
        while (!closing) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept(key);
                } else if (key.isReadable()) {
                    read(key);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void accept(SelectionKey key) throws IOException {
        SocketChannel channel;
        while ((channel = ((ServerSocketChannel) key.channel()).accept()) != null) {
            accepted.incrementAndGet();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Connection((Listener) key.attachment()));
        }
    }

    private void read(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection connection = (Connection) key.attachment();
        try {
            if (connection.headerBytes != null) {
                readHeader(channel, connection);
                return;
            }
            readBuffer.clear();
            int read = channel.read(readBuffer);
            if (read < 0) {
                channel.close();
                return;
            }
            consume(channel, connection, read);
        } catch (IOException e) {
            close(channel);
        }
    }

    private void readHeader(SocketChannel channel, Connection connection) throws IOException {
        ByteBuffer pending = connection.headerBytes;
        if (channel.read(pending) < 0) {
            refuse(channel);
            return;
        }
        pending.flip();
        DecodeResult result = decoder.decode(pending);
        if (result instanceof DecodeResult.Complete complete) {
            headers.incrementAndGet();
            connection.headerBytes = null;
            consume(channel, connection, pending.remaining() - complete.length());
        } else if (result instanceof DecodeResult.NeedMore && pending.limit() < pending.capacity()) {
            pending.position(pending.limit()).limit(pending.capacity());
        } else {
            refuse(channel);
        }
    }

    /** Counts application bytes; in respond mode answers once the whole request is in. */
    private void consume(SocketChannel channel, Connection connection, int count) throws IOException {
        bytes.addAndGet(count);
        if (connection.listener.mode() != Mode.RESPOND || connection.requestLeft <= 0) {
            return;
        }
        connection.requestLeft -= count;
        if (connection.requestLeft <= 0) {
            response.clear();
            // A 16-byte answer into an empty send buffer is taken whole; anything else is a failure
            // the client sees as a short answer.
            if (channel.write(response) != Exchange.RESPONSE_BYTES) {
                channel.close();
            }
        }
    }

    private void refuse(SocketChannel channel) {
        refused.incrementAndGet();
        close(channel);
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The peer is gone either way.
        }
    }
}
