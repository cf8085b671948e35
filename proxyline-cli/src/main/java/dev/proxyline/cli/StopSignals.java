package dev.proxyline.cli;

import java.util.List;

/** Arranges for a running server's stop (drain) to run when the process is asked to stop. */
@FunctionalInterface
interface StopSignals {

    /** Makes {@code stop} run on a stop request; {@code stop} blocks until the drain is done. */
    void onStop(Runnable stop);

    /**
     * The process's own signals. A JVM shutdown hook drains on any exit; SIGTERM and SIGINT start
     * the drain themselves, on a new thread, so that the JVM is not already exiting with status 143
     * (128 + SIGTERM) and {@code proxyline run} can return 0 once the drain is done, as a service
     * manager expects from a clean stop.
     */
    static StopSignals jvm() {
        return stop -> {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "proxyline-shutdown"));
            for (String name : List.of("TERM", "INT")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name),
                            signal -> new Thread(stop, "proxyline-drain-" + name).start());
                } catch (IllegalArgumentException e) {
                    // The signal is reserved (java -Xrs, say): the shutdown hook still drains.
                }
            }
        };
    }
}
