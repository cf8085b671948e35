package dev.proxyline.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens {@code --count} connections, each proven to reach the far end by one request and answer
 * (so the proxy holds both sides), prints {@code open=N errors=E}, keeps them idle for
 * {@code --hold-seconds} (or until killed), then closes them.
 */
public final class IdleConnections {
    private static final int OPENERS = 8;

    private IdleConnections() {
    }

    public static void main(String[] args) throws InterruptedException {
        LoadArgs options = LoadArgs.parse(args, List.of("connect", "count", "hold-seconds", "proxy-header"));
        InetSocketAddress target = options.address("connect");
        boolean proxyHeader = options.flag("proxy-header");
        AtomicInteger toOpen = new AtomicInteger(options.integer("count", 10_000));
        Queue<SocketChannel> open = new ConcurrentLinkedQueue<>();
        LongAdder errors = new LongAdder();
        Thread[] openers = new Thread[OPENERS];
        for (int i = 0; i < openers.length; i++) {
            openers[i] = new Thread(() -> {
                while (toOpen.getAndDecrement() > 0) {
                    SocketChannel channel = null;
                    try {
                        channel = Exchange.open(target);
                        Exchange.run(channel, proxyHeader);
                        open.add(channel);
                    } catch (IOException e) {
                        errors.increment();
                        closeQuietly(channel);
                    }
                }
            }, "open-" + i);
            openers[i].start();
        }
        for (Thread opener : openers) {
            opener.join();
        }
        System.out.println("open=" + open.size() + " errors=" + errors.sum());
        System.out.flush();
        Thread.sleep((long) (options.decimal("hold-seconds", 60) * 1000));
        open.forEach(IdleConnections::closeQuietly);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Best effort: the connection failed, or the process exits next.
        }
    }
}
