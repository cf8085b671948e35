package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The whole validated configuration. {@code workerConnections} is the per-event-loop connection limit (nginx default
 * 512); {@code cpuAffinity} is {@code worker_cpu_affinity}, empty when the workers are not bound.
 */
public record ProxylineConfig(WorkerProcesses workers, Optional<WorkerCpuAffinity> cpuAffinity, int workerConnections,
                              Optional<ErrorLog> errorLog,
                              Optional<String> pidFile, Optional<StreamConfig> stream, Optional<HttpConfig> http) {
    public static final int DEFAULT_WORKER_CONNECTIONS = 512;

    public ProxylineConfig {
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(cpuAffinity, "cpuAffinity");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(http, "http");
        if (workerConnections < 1) throw new IllegalArgumentException("workerConnections");
    }
}
