package dev.proxyline.server.transport;

import dev.proxyline.config.WorkerCpuAffinity;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@code worker_cpu_affinity} to the worker threads, each binding itself on its own loop. A worker that
 * cannot be bound keeps running unbound with one warning, as nginx's worker does when sched_setaffinity fails.
 *
 * <p>Why it matters even with few cores: with the balancer and the ingress in one process, the workers wake each
 * other through loopback sockets, and the kernel's wake-up placement can queue both on one CPU for a scheduler
 * tick (4 ms at HZ=250) while the other CPU serves the load generator and the backend; every connection then waits
 * at once (docs/benchmarks.md, "L7 p99 with two workers").
 */
public final class WorkerCpuBinder {
    private static final System.Logger LOG = System.getLogger(WorkerCpuBinder.class.getName());

    private WorkerCpuBinder() {}

    /**
     * Binds every worker of {@code loops} as {@code affinity} says; returns when all are bound or have failed.
     * Call off the event loops.
     *
     * @return one line per worker saying where it runs, for the start-up log
     */
    public static List<String> bind(EventLoops loops, WorkerCpuAffinity affinity) {
        if (!ThreadCpuAffinity.supported()) {
            LOG.log(Level.WARNING, "worker_cpu_affinity is not supported on this platform, ignored");
            return List.of();
        }
        BitSet allowed;
        try {
            allowed = ThreadCpuAffinity.current();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "worker_cpu_affinity ignored: " + e.getMessage());
            return List.of();
        }
        List<String> bound = new ArrayList<>();
        int worker = 0;
        for (EventExecutor loop : loops.workers()) {
            Optional<BitSet> cpus = affinity.cpusOf(worker, allowed);
            if (cpus.isEmpty()) {
                LOG.log(Level.WARNING, "worker_cpu_affinity: no CPU of the auto mask is allowed for this process"
                        + " (allowed " + cpuList(allowed) + "); worker " + worker + " left unbound");
            } else {
                Future<?> done = loop.submit(() -> {
                    ThreadCpuAffinity.bindCurrentThread(cpus.get());
                    return null;
                }).awaitUninterruptibly();
                if (done.isSuccess()) {
                    bound.add("worker " + worker + " on CPU " + cpuList(cpus.get()));
                } else {
                    LOG.log(Level.WARNING, "worker_cpu_affinity: worker " + worker + " left unbound: "
                            + done.cause().getMessage());
                }
            }
            worker++;
        }
        return bound;
    }

    /** {@code 0-3,6} as /proc and taskset write CPU lists. */
    static String cpuList(BitSet cpus) {
        StringBuilder text = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            text.append(text.isEmpty() ? "" : ",").append(from).append(to > from ? "-" + to : "");
            from = cpus.nextSetBit(to + 1);
        }
        return text.toString();
    }
}
