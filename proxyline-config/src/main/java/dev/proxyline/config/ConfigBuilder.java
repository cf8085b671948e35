package dev.proxyline.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the typed model from the validated top-level directives. */
final class ConfigBuilder {
    private final ArgReader r;

    ConfigBuilder(ArgReader r) {
        this.r = r;
    }

    ProxylineConfig build(List<Directive> main) {
        Scope s = Scope.root(main);
        WorkerProcesses workers = s.get("worker_processes").flatMap(this::workers).orElse(new WorkerProcesses.Count(1));
        int connections = s.get("events")
                .flatMap(e -> Scope.root(e.children()).get("worker_connections"))
                .map(d -> r.intInRange(d, d.arg(0), 1, 10_000_000).orElse(ProxylineConfig.DEFAULT_WORKER_CONNECTIONS))
                .orElse(ProxylineConfig.DEFAULT_WORKER_CONNECTIONS);
        Optional<ErrorLog> errorLog = s.get("error_log").flatMap(this::errorLog);
        Optional<String> pid = s.get("pid").map(d -> d.arg(0).value());
        Optional<StreamConfig> stream = s.get("stream").map(d -> new StreamBuilder(r).build(d));
        Optional<HttpConfig> http = s.get("http").map(d -> new HttpBuilder(r, d).build());
        return new ProxylineConfig(workers, connections, errorLog, pid, stream, http);
    }

    private Optional<WorkerProcesses> workers(Directive d) {
        if (d.arg(0).value().equals("auto")) return Optional.of(new WorkerProcesses.Auto());
        return Optional.of(r.intInRange(d, d.arg(0), 1, 4096))
                .filter(v -> v.isPresent())
                .map(v -> new WorkerProcesses.Count(v.getAsInt()));
    }

    private Optional<ErrorLog> errorLog(Directive d) {
        ErrorLog.Level level = ErrorLog.Level.ERROR;
        if (d.args().size() == 2) {
            try {
                level = ErrorLog.Level.valueOf(d.arg(1).value().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                r.error(d.arg(1), "invalid log level \"" + d.arg(1).value()
                        + "\" (expected debug, info, notice, warn, error, crit, alert or emerg)");
                return Optional.empty();
            }
        }
        return Optional.of(new ErrorLog(d.arg(0).value(), level));
    }
}
