package dev.proxyline.protocol.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer during it. Leaks are found when the
 * garbage collector has cleared an unreleased buffer and a later allocation polls for them, so this
 * collects garbage and allocates a few times after the class.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        // Touch the allocators so that the detector exists, then start from a clean slate.
        Unpooled.buffer(1).release();
        assertThat(FailingLeakDetector.installed())
                .as("-Dio.netty.customResourceLeakDetector must name FailingLeakDetector").isTrue();
        collectLeaks();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertThat(collectLeaks()).as("leaked buffers").isEmpty();
    }

    /** Runs the collector and the detector until they settle; returns the leaks they found. */
    public static List<String> collectLeaks() {
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            System.gc();
            // Every tracked allocation makes the detector look at what the collector cleared.
            for (ByteBuf b : new ByteBuf[] {Unpooled.buffer(1), Unpooled.directBuffer(1),
                    PooledByteBufAllocator.DEFAULT.heapBuffer(1), PooledByteBufAllocator.DEFAULT.directBuffer(1)}) {
                b.release();
            }
            leaks.addAll(FailingLeakDetector.drain());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return leaks;
    }
}
