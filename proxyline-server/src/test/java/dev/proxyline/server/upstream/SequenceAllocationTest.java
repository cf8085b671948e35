package dev.proxyline.server.upstream;

import static dev.proxyline.server.upstream.Groups.roundRobin;
import static dev.proxyline.server.upstream.Groups.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A sequence is begun for every proxied request, and nearly every one is served by its first peer: that
 * path may cost the sequence object and nothing else (no tried list, no tried set, no answer objects).
 * Measured with the thread's allocation counter over many calls, so warm-up and class loading do not count.
 */
class SequenceAllocationTest {
    private static final int CALLS = 20_000;
    /** One sequence object; the tried list, tried set and answers it used to make came to about 240 bytes. */
    private static final long BYTES_PER_CALL = 128;

    @Test
    void aRequestServedByItsFirstPeerAllocatesAtMostTheSequence() {
        UpstreamGroup group = roundRobin(new FakeClock(), server(1), server(2), server(3));
        NextUpstreamPolicy policy = NextUpstreamPolicy.httpDefault();
        Object[] sink = new Object[1];
        Runnable request = () -> {
            AttemptSequence sequence = group.begin(policy);
            sink[0] = sequence.next();
            sequence.succeed();
            sink[0] = sequence;
        };
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < CALLS; i++) request.run();
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < CALLS; i++) request.run();
        long perCall = (bean.getThreadAllocatedBytes(id) - before) / CALLS;
        assertThat(perCall).isLessThan(BYTES_PER_CALL);
    }
}
