package dev.proxyline.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Several "event loops" sharing a group must leave its counts consistent. */
class ConcurrencyTest {

    @Test
    void concurrentSequencesLeaveNoConnectionCountedAndNoStateCorrupted() throws Exception {
        for (BalancingMethod method : new BalancingMethod[] {new BalancingMethod.RoundRobin(),
                new BalancingMethod.LeastConn(), new BalancingMethod.Hash(true), new BalancingMethod.Random(true)}) {
            AtomicLong nanos = new AtomicLong();
            UpstreamGroup group = UpstreamGroup.create("backend",
                    List.of(Groups.server(1).withWeight(3), Groups.server(2), Groups.server(3).withMaxFails(0)),
                    method, nanos::get, new SplittableRandom(7));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        nanos.addAndGet(1_000);
                        AttemptSequence sequence = group.begin("key-" + (i % 97), NextUpstreamPolicy.httpDefault());
                        while (sequence.next() instanceof Selection.Chosen) {
                            if ((i + thread) % 5 == 0 && sequence.fail(FailureKind.ERROR) instanceof Verdict.Retry) {
                                continue;
                            }
                            if (sequence.attemptOpen()) {
                                sequence.succeed();
                            }
                            break;
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(group.status()).as(method.directive()).allSatisfy(status -> {
                assertThat(status.conns()).isZero();
                assertThat(status.effectiveWeight()).isBetween(0, status.weight());
            });
        }
    }
}
