package dev.proxyline.config;

/** {@code worker_processes N|auto}; proxyline runs one process and maps this to event-loop threads. */
public sealed interface WorkerProcesses {
    /** Threads to start on a machine with {@code cores} available processors. */
    int eventLoopThreads(int cores);

    record Auto() implements WorkerProcesses {
        @Override
        public int eventLoopThreads(int cores) {
            return Math.max(1, cores);
        }
    }

    record Count(int count) implements WorkerProcesses {
        public Count {
            if (count < 1) throw new IllegalArgumentException("count must be >= 1");
        }

        @Override
        public int eventLoopThreads(int cores) {
            return count;
        }
    }
}
