package dev.proxyline.config;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds the typed model from the validated top-level directives. */
final class ConfigBuilder {
    /** The kernel's CPU_SETSIZE, the largest CPU set sched_setaffinity takes by default. */
    private static final int MAX_CPUS = 1024;

    private final ArgReader r;

    ConfigBuilder(ArgReader r) {
        this.r = r;
    }

    ProxylineConfig build(List<Directive> main) {
        Scope s = Scope.root(main);
        WorkerProcesses workers = s.get("worker_processes").flatMap(this::workers).orElse(new WorkerProcesses.Count(1));
        Optional<WorkerCpuAffinity> cpuAffinity = s.get("worker_cpu_affinity").flatMap(d -> cpuAffinity(d, workers));
        Events events = s.get("events").map(e -> events(Scope.root(e.children()))).orElse(Events.DEFAULTS);
        // Linux's own ceiling is fs.nr_open (2^20 by default, at most 2^30); the kernel judges the value at start.
        OptionalInt openFiles = s.get("worker_rlimit_nofile")
                .map(d -> r.intInRange(d, d.arg(0), 1, Integer.MAX_VALUE)).orElse(OptionalInt.empty());
        Optional<Duration> shutdownTimeout = s.get("worker_shutdown_timeout").flatMap(d -> r.duration(d, d.arg(0)));
        Optional<ErrorLog> errorLog = s.get("error_log").flatMap(new ErrorLogReader(r)::read);
        Optional<String> pid = s.get("pid").map(d -> d.arg(0).value());
        Optional<RunAs> user = s.get("user").map(d -> new RunAs(d.position(), d.arg(0).value(),
                d.args().size() > 1 ? d.arg(1).value() : d.arg(0).value()));
        Optional<StreamConfig> stream = s.get("stream").map(d -> new StreamBuilder(r).build(d));
        Optional<HttpConfig> http = s.get("http").map(d -> new HttpBuilder(r, d).build());
        return new ProxylineConfig(user, workers, cpuAffinity, events, openFiles, shutdownTimeout, errorLog, pid,
                stream, http);
    }

    private Events events(Scope events) {
        int connections = events.get("worker_connections")
                .map(d -> r.intInRange(d, d.arg(0), 1, 10_000_000).orElse(Events.DEFAULT_WORKER_CONNECTIONS))
                .orElse(Events.DEFAULT_WORKER_CONNECTIONS);
        Optional<Boolean> multiAccept = events.get("multi_accept").flatMap(d -> r.flag(d, d.arg(0)));
        boolean useEpoll = events.get("use").filter(d -> {
            String method = d.arg(0).value();
            if (method.equals("epoll")) return true;
            r.error(d.arg(0), "unsupported event method \"" + method + "\" in \"use\" (proxyline runs on epoll, or on "
                    + "the JDK's selector where epoll is not available; write \"use epoll\" or leave it out)");
            return false;
        }).isPresent();
        return new Events(connections, multiAccept, useEpoll);
    }

    private Optional<WorkerProcesses> workers(Directive d) {
        if (d.arg(0).value().equals("auto")) return Optional.of(new WorkerProcesses.Auto());
        return Optional.of(r.intInRange(d, d.arg(0), 1, 4096))
                .filter(v -> v.isPresent())
                .map(v -> new WorkerProcesses.Count(v.getAsInt()));
    }

    private Optional<WorkerCpuAffinity> cpuAffinity(Directive d, WorkerProcesses workers) {
        boolean auto = d.arg(0).value().equals("auto");
        List<Argument> maskArgs = d.args().subList(auto ? 1 : 0, d.args().size());
        if (auto && maskArgs.size() > 1) {
            r.error(maskArgs.get(1), "\"worker_cpu_affinity auto\" takes at most one mask");
            return Optional.empty();
        }
        List<Optional<BitSet>> parsed = maskArgs.stream().map(a -> cpuMask(d, a)).toList();
        if (parsed.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        List<BitSet> masks = parsed.stream().map(Optional::get).toList();
        if (auto) {
            return Optional.of(new WorkerCpuAffinity.Auto(masks.stream().findFirst()));
        }
        if (workers instanceof WorkerProcesses.Count count && count.count() != masks.size()) {
            r.errors().warn(d.position(), "the number of \"worker_processes\" (" + count.count()
                    + ") is not equal to the number of \"worker_cpu_affinity\" masks (" + masks.size() + ")"
                    + (count.count() > masks.size() ? ", using the last mask for the remaining workers" : ""));
        }
        return Optional.of(new WorkerCpuAffinity.Masks(masks));
    }

    /** A binary mask, CPU 0 rightmost, as nginx writes them: {@code 0101} is CPUs 0 and 2. */
    private Optional<BitSet> cpuMask(Directive d, Argument a) {
        String mask = a.value();
        BitSet cpus = new BitSet();
        for (int i = 0; i < mask.length(); i++) {
            char c = mask.charAt(mask.length() - 1 - i);
            if (c != '0' && c != '1') {
                r.error(a, "invalid character \"" + c + "\" in \"" + d.name() + "\" mask \"" + mask
                        + "\" (expected binary digits, CPU 0 rightmost, e.g. 0101)");
                return Optional.empty();
            }
            if (c == '1') cpus.set(i);
        }
        if (mask.length() > MAX_CPUS) {
            r.error(a, "too long mask \"" + mask + "\" in \"" + d.name() + "\" directive (at most " + MAX_CPUS + " CPUs)");
            return Optional.empty();
        }
        if (cpus.isEmpty()) {
            r.error(a, "mask \"" + mask + "\" in \"" + d.name() + "\" directive names no CPU");
            return Optional.empty();
        }
        return Optional.of(cpus);
    }
}
