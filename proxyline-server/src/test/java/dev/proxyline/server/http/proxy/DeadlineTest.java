package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final Deadline deadline = new Deadline(loop, System::nanoTime);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aSuspendedDeadlineRunsOnlyTheActionOfItsLatestArm() throws Exception {
        AtomicInteger stale = new AtomicInteger();
        CountDownLatch fired = new CountDownLatch(1);
        loop.submit(() -> {
            deadline.arm(Duration.ofMillis(20), () -> stale.incrementAndGet() > 0);
            deadline.suspend();
            deadline.arm(Duration.ofMillis(40), () -> {
                fired.countDown();
                return true;
            });
        }).get();

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stale).hasValue(0);
    }

    @Test
    void aShorterTimeoutThanTheSuspendedTimersIsStillKept() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        loop.submit(() -> {
            deadline.arm(Duration.ofHours(1), () -> true);
            deadline.suspend();
            deadline.arm(Duration.ofMillis(20), () -> {
                fired.countDown();
                return true;
            });
        }).get();

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDisarmedDeadlineNeverFires() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch later = new CountDownLatch(1);
        loop.submit(() -> {
            deadline.arm(Duration.ofMillis(10), () -> calls.incrementAndGet() > 0);
            deadline.disarm();
            loop.schedule(later::countDown, 100, TimeUnit.MILLISECONDS);
        }).get();

        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).hasValue(0);
    }
}
