package dev.proxyline.server.transport;

/**
 * How many I/O threads serve connections: nginx's {@code worker_processes}, where {@code auto} means one
 * per available core. Each thread runs one event loop; a connection and its upstream stay on one.
 *
 * @param count the number of threads, at least 1
 */
public record WorkerThreads(int count) {

    /** Validates the count. */
    public WorkerThreads {
        if (count < 1) {
            throw new IllegalArgumentException("worker threads: " + count + " (expected at least 1)");
        }
    }

    /** A fixed number of threads ({@code worker_processes 4;}). */
    public static WorkerThreads of(int count) {
        return new WorkerThreads(count);
    }

    /** One thread per core this JVM may use ({@code worker_processes auto;}). */
    public static WorkerThreads auto() {
        return auto(Runtime.getRuntime().availableProcessors());
    }

    /** One thread per core, given the core count (so tests need not depend on the machine). */
    public static WorkerThreads auto(int availableProcessors) {
        return new WorkerThreads(Math.max(1, availableProcessors));
    }
}
