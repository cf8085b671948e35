package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole validated configuration. {@code user} is whom the process runs as after binding, when started as
 * root ({@code user}); {@code events} is the {@code events} block; {@code cpuAffinity} is
 * {@code worker_cpu_affinity}, empty when the workers are not bound;
 * {@code openFileLimit} is {@code worker_rlimit_nofile} (the process's RLIMIT_NOFILE, empty to keep the inherited
 * one); {@code shutdownTimeout} is {@code worker_shutdown_timeout}, how long a stop drains before closing what is
 * still open (empty: the command line's choice).
 */
public record ProxylineConfig(Optional<RunAs> user, WorkerProcesses workers, Optional<WorkerCpuAffinity> cpuAffinity, Events events,
                              OptionalInt openFileLimit, Optional<Duration> shutdownTimeout,
                              Optional<ErrorLog> errorLog,
                              Optional<String> pidFile, Optional<StreamConfig> stream, Optional<HttpConfig> http) {
    public ProxylineConfig {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(cpuAffinity, "cpuAffinity");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(openFileLimit, "openFileLimit");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(errorLog, "errorLog");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(http, "http");
    }
}
