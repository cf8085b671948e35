package dev.proxyline.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** For tests that play both peers of a relay with blocking sockets, each side on a thread of its own. */
public final class PeerThreads {
    private PeerThreads() {
    }

    /** Runs {@code task} on a daemon thread of its own; join with {@code get}. */
    public static <T> CompletableFuture<T> async(ThrowingSupplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-peer");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /**
     * Waits, for at most {@code limit}, until {@code counter} has moved from zero and then stood still for
     * half a second: a writer blocked by a full path. Returns where it stopped.
     */
    public static long awaitNoProgress(AtomicLong counter, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = -1;
        int still = 0;
        while (System.nanoTime() < deadline && still < 5) {
            Thread.sleep(100);
            long now = counter.get();
            still = now == last && now > 0 ? still + 1 : 0;
            last = now;
        }
        return last;
    }

    /** The next byte, or -1 at the end of the stream or when the connection was reset. */
    public static int readOrEof(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** A task for {@link #async} that may throw. */
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
