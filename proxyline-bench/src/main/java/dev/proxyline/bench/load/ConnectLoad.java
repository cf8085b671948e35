package dev.proxyline.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * New connections per second: {@code --concurrency} loops of connect, (PROXY v1 header,) 16-byte
 * request, 16-byte answer, close, for {@code --seconds}. Prints one line:
 * {@code conns=N seconds=S rate=R errors=E}.
 */
public final class ConnectLoad {
    private ConnectLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        LoadArgs options = LoadArgs.parse(args, List.of("connect", "seconds", "concurrency", "proxy-header"));
        InetSocketAddress target = options.address("connect");
        boolean proxyHeader = options.flag("proxy-header");
        long durationNanos = (long) (options.decimal("seconds", 5) * 1e9);
        LongAdder completed = new LongAdder();
        LongAdder errors = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        Thread[] loops = new Thread[options.integer("concurrency", 16)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try (SocketChannel channel = Exchange.open(target)) {
                        Exchange.run(channel, proxyHeader);
                        completed.increment();
                    } catch (IOException e) {
                        errors.increment();
                    }
                }
            }, "connect-" + i);
            loops[i].start();
        }
        for (Thread loop : loops) {
            loop.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("conns=%d seconds=%.3f rate=%.1f errors=%d%n", completed.sum(), seconds,
                completed.sum() / seconds, errors.sum());
    }
}
