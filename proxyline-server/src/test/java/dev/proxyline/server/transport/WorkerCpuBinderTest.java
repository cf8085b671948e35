package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proxyline.config.WorkerCpuAffinity;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * worker_cpu_affinity applied to real worker threads, checked against what the kernel reports for each thread in
 * /proc (Cpus_allowed_list), not against the call that set it.
 */
class WorkerCpuBinderTest {
    private BitSet allowed;

    @BeforeEach
    void linuxOnly() throws IOException {
        assumeTrue(ThreadCpuAffinity.supported(), "sched_setaffinity is Linux-only");
        allowed = ThreadCpuAffinity.current();
    }

    private static BitSet cpu(int n) {
        BitSet set = new BitSet();
        set.set(n);
        return set;
    }

    /** Each worker's CPU list as /proc/self/task/TID/status shows it, in worker order. */
    private static List<String> kernelCpuLists(EventLoops loops) throws Exception {
        List<String> lists = new ArrayList<>();
        for (EventExecutor loop : loops.workers()) {
            Path self = loop.submit(() -> Files.readSymbolicLink(Path.of("/proc/thread-self"))).get();
            String tid = self.getFileName().toString();
            String status = Files.readString(Path.of("/proc/self/task", tid, "status"));
            lists.add(status.lines().filter(l -> l.startsWith("Cpus_allowed_list:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow());
        }
        return lists;
    }

    @Test
    void masksBindEveryWorkerAndTheLastMaskServesTheRest() throws Exception {
        int first = allowed.nextSetBit(0);
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(2))) {
            List<String> bound = WorkerCpuBinder.bind(loops, new WorkerCpuAffinity.Masks(List.of(cpu(first))));
            assertThat(bound).containsExactly("worker 0 on CPU " + first, "worker 1 on CPU " + first);
            assertThat(kernelCpuLists(loops)).containsExactly(String.valueOf(first), String.valueOf(first));
        }
    }

    @Test
    void autoSpreadsTheWorkersOverTheAllowedCpus() throws Exception {
        assumeTrue(allowed.cardinality() >= 2, "needs two CPUs");
        int first = allowed.nextSetBit(0);
        int second = allowed.nextSetBit(first + 1);
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(3))) {
            WorkerCpuBinder.bind(loops, new WorkerCpuAffinity.Auto(Optional.empty()));
            assertThat(kernelCpuLists(loops).subList(0, 2)).containsExactly(String.valueOf(first), String.valueOf(second));
        }
    }

    @Test
    void aCpuTheMachineLacksLeavesTheWorkerUnbound() throws Exception {
        try (EventLoops loops = EventLoops.start(Transport.nio(), WorkerThreads.of(1))) {
            List<String> before = kernelCpuLists(loops);
            assertThat(WorkerCpuBinder.bind(loops, new WorkerCpuAffinity.Masks(List.of(cpu(1023))))).isEmpty();
            assertThat(kernelCpuLists(loops)).isEqualTo(before);
        }
    }

    @Test
    void cpuListsAreWrittenAsTasksetWritesThem() {
        BitSet set = new BitSet();
        set.set(0, 4);
        set.set(6);
        set.set(8, 10);
        assertThat(WorkerCpuBinder.cpuList(set)).isEqualTo("0-3,6,8-9");
        assertThat(WorkerCpuBinder.cpuList(cpu(5))).isEqualTo("5");
    }
}
