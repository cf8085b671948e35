package dev.proxyline.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body far larger than any buffer streams through the ingress both ways while the memory held in
 * Netty buffers (the whole process: client side, ingress and backend) stays bounded: nothing is
 * collected whole, and each side is read only as fast as the other drains.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpLargeTransferTest {
    private static final long SIZE = 1L << 30;
    /** Far below SIZE: what buffering a body whole would exceed by an order of magnitude. */
    private static final long BOUND = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void aGibibyteStreamsUpAndDownWithBoundedBuffers() throws Exception {
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, port -> """
                http {
                    client_max_body_size 0;
                    upstream app { server 127.0.0.1:%d; keepalive 2; }
                    server {
                        listen 127.0.0.1:%d;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(backend.port(), port));
             HttpExchangeClient c = rig.client();
             Sampler sampler = new Sampler()) {
            c.socket.setSoTimeout(30_000);
            CompletableFuture<HttpExchangeClient.Response> upload = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream out = c.socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes());
            byte[] block = new byte[1 << 16];
            for (long sent = 0; sent < SIZE; sent += block.length) {
                out.write(block);
            }
            out.flush();
            assertThat(upload.get(60, TimeUnit.SECONDS).body()).isEqualTo("got " + SIZE + " bytes for /upload");

            c.send("GET /bytes?n=" + SIZE + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().bodyLength()).isEqualTo(SIZE);

            assertThat(sampler.max()).as("most bytes held in Netty buffers at once").isLessThan(BOUND);
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsTheBackendBackInsteadOfFillingMemory() throws Exception {
        long size = 256L << 20;
        try (HttpBackend backend = HttpBackend.start();
             HttpRig rig = HttpRig.start(dir, HttpRig.proxyingThroughUpstream(backend.port(), ""));
             HttpExchangeClient c = rig.client()) {
            c.socket.setReceiveBufferSize(64 * 1024);
            c.socket.setSoTimeout(30_000);
            Sampler sampler = new Sampler();
            c.send("GET /bytes?n=" + size + " HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(1000); // the backend could send it all in this time, were it not held back
            long whileStalled = sampler.max();
            sampler.close();

            assertThat(whileStalled).as("bytes held in Netty buffers while the client does not read")
                    .isLessThan(16L << 20);
            assertThat(c.read().bodyLength()).isEqualTo(size);
        }
    }

    /** Samples the default allocator's memory in use every few milliseconds. */
    private static final class Sampler implements AutoCloseable {
        private final AtomicLong max = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Sampler() {
            var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            thread = new Thread(() -> {
                while (running.get()) {
                    max.accumulateAndGet(metric.usedDirectMemory() + metric.usedHeapMemory(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "buffer-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long max() {
            return max.get();
        }

        @Override
        public void close() {
            running.set(false);
        }
    }
}
