package dev.proxyline.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One long TCP stream: (a PROXY v1 header, then) 256 KiB writes for {@code --seconds} to a
 * {@link Receiver} in discard mode. Prints {@code bytes=N seconds=S gbit_per_s=G}. The few MiB
 * still in socket buffers at the end are counted as sent; against gigabytes that is noise.
 */
public final class BulkSource {
    private static final int WRITE_BYTES = 256 * 1024;

    private BulkSource() {
    }

    public static void main(String[] args) throws IOException {
        LoadArgs options = LoadArgs.parse(args, List.of("connect", "seconds", "proxy-header"));
        long durationNanos = (long) (options.decimal("seconds", 5) * 1e9);
        ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_BYTES);
        while (chunk.hasRemaining()) {
            chunk.put((byte) 'b');
        }
        long sent = 0;
        long start;
        long elapsed;
        try (SocketChannel channel = Exchange.open(options.address("connect"))) {
            if (options.flag("proxy-header")) {
                ByteBuffer header = ByteBuffer.wrap(Exchange.proxyHeaderFor(channel));
                while (header.hasRemaining()) {
                    channel.write(header);
                }
            }
            start = System.nanoTime();
            do {
                chunk.clear();
                sent += channel.write(chunk);
                elapsed = System.nanoTime() - start;
            } while (elapsed < durationNanos);
        }
        double seconds = elapsed / 1e9;
        System.out.printf("bytes=%d seconds=%.3f gbit_per_s=%.3f%n", sent, seconds, sent * 8 / seconds / 1e9);
    }
}
