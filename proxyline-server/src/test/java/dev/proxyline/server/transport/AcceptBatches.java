package dev.proxyline.server.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * How many connections one wake-up of a listener accepts, seen from outside: four clients connect while the
 * listener's one loop is held busy; the listener records "A" for each connection it accepts and has the loop
 * record "M" after it, which the loop runs once it is done with that wake-up's accepts.
 */
public final class AcceptBatches {
    private AcceptBatches() {}

    /** The order of "A" and "M" once all four connections were accepted, e.g. {@code A M A M A M A M}. */
    public static String order(Executor loop, InetSocketAddress listener, List<String> seen)
            throws IOException, InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                // The kernel completes the handshakes into the backlog while the loop is held.
                clients.add(new Socket(listener.getAddress(), listener.getPort()));
            }
            busy.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return String.join(" ", seen);
        } finally {
            busy.countDown();
            for (Socket client : clients) {
                client.close();
            }
        }
    }
}
