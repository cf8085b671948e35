package dev.proxyline.cli;

import dev.proxyline.config.ConfigError;
import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.ErrorLog;
import dev.proxyline.config.HttpConfig;
import dev.proxyline.config.LoadResult;
import dev.proxyline.config.ProxylineConfig;
import dev.proxyline.config.RunAs;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.server.app.HttpErrorLog;
import dev.proxyline.server.app.ProxylineServer;
import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.app.StartupException;
import dev.proxyline.server.transport.ProcessUser;
import dev.proxyline.server.transport.Transport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code proxyline run -c FILE}: loads the configuration (errors as {@code check} reports them),
 * serves its {@code stream} and {@code http} servers in the foreground and drains on SIGTERM or SIGINT. Prints one
 * line to standard output once every listener is bound; everything else goes to the log.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve the stream and http servers of a configuration file in the foreground; SIGTERM drains and exits 0.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped after a drain", "1:the configuration has errors or a listener cannot be bound",
                "2:usage error"})
final class RunCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());
    private static final ErrorLog FOREGROUND_LOG = new ErrorLog("stderr", ErrorLog.Level.INFO);
    /** How long a stop drains when neither --drain-timeout nor worker_shutdown_timeout says. */
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    /**
     * {@code -Dproxyline.stream.channels=true}: stream sessions on Netty channels even on epoll, for the
     * benchmark that compares them with the raw-descriptor path; not an option users need.
     */
    static final String STREAM_CHANNELS_PROPERTY = "proxyline.stream.channels";

    private static final Pattern TIME = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    /** Which socket implementation to run on. */
    enum TransportChoice {
        /** Native epoll where it loads, NIO elsewhere (the default). */
        auto,
        /** The JDK's sockets. */
        nio,
        /** Linux epoll; fails to start where the native library does not load. */
        epoll;

        /** @throws UnsupportedOperationException for epoll where the native library does not load */
        Transport transport() {
            return switch (this) {
                case auto -> Transport.best();
                case epoll -> Transport.epoll();
                case nio -> Transport.nio();
            };
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration file.")
    Path config;

    @Option(names = "--drain-timeout", paramLabel = "TIME",
            description = "How long a stop waits for open sessions before closing them (nginx time: 500ms, 10s, 1m). "
                    + "Default: the configuration's worker_shutdown_timeout, else 10s.")
    String drainTimeout;

    @Option(names = "--transport", paramLabel = "auto|epoll|nio",
            description = "Socket implementation: auto is native epoll where available, NIO elsewhere. "
                    + "Default: epoll with the configuration's \"use epoll\", else auto.")
    TransportChoice transport;

    private final StopSignals signals;

    RunCommand(StopSignals signals) {
        this.signals = Objects.requireNonNull(signals, "signals");
    }

    @Override
    public Integer call() {
        Optional<Duration> drain = Optional.ofNullable(drainTimeout).map(this::parseTime);
        return run(config, drain, Optional.ofNullable(transport), Greeting.NONE, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** What is printed after the line that says the server runs. */
    @FunctionalInterface
    interface Greeting {
        Greeting NONE = (config, prefix, out) -> { };

        void greet(ProxylineConfig config, Path prefix, PrintWriter out);
    }

    /**
     * Loads {@code config}, serves it on {@code transportChosen} (else epoll for the configuration's
     * {@code use epoll}, else the best) until the stop signal and drains for {@code drainChosen}, else for the
     * configuration's {@code worker_shutdown_timeout}, else for 10 s; {@code greeting} follows the line printed
     * once every listener is bound.
     *
     * @return the exit code
     */
    int run(Path config, Optional<Duration> drainChosen, Optional<TransportChoice> transportChosen, Greeting greeting,
            PrintWriter out, PrintWriter err) {
        LoadResult result = ConfigLoader.load(config);
        for (ConfigError warning : result.warnings()) {
            err.println("proxyline: [warn] " + warning);
        }
        if (!(result instanceof LoadResult.Loaded loaded)) {
            for (ConfigError error : result.errors()) {
                err.println("proxyline: [emerg] " + error);
            }
            err.println("proxyline: configuration file " + config + " test failed");
            err.flush();
            return 1;
        }
        Duration drain = drainChosen.or(() -> loaded.config().shutdownTimeout()).orElse(DEFAULT_DRAIN);
        Transport chosen;
        try {
            chosen = transportChosen.orElse(loaded.config().events().useEpoll() ? TransportChoice.epoll
                    : TransportChoice.auto).transport();
        } catch (UnsupportedOperationException e) {
            return emerg(err, e.getMessage());
        }
        Path prefix = config.toAbsolutePath().normalize().getParent();
        // Relative access log and certificate paths resolve against the configuration's directory, as its includes do.
        RunOptions options = RunOptions.defaults().withDrainTimeout(drain).withPrefix(prefix).withTransport(chosen)
                .withStreamChannels(Boolean.getBoolean(STREAM_CHANNELS_PROPERTY));
        ErrorLogHandler errorLog;
        try {
            // Without error_log, the same one-line format on standard error, from info up: a foreground
            // process should say where it listens, and the JDK's two-line default reads badly next to it.
            errorLog = ErrorLogHandler.install(loaded.config().errorLog().orElse(FOREGROUND_LOG), prefix);
        } catch (IOException e) {
            return emerg(err, "cannot open the error_log: " + e);
        }
        Optional<ErrorLogHandler> httpLog;
        try {
            httpLog = loaded.config().http().flatMap(HttpConfig::errorLog).isEmpty() ? Optional.empty()
                    : Optional.of(ErrorLogHandler.installOn(loaded.config().http().get().errorLog().get(), prefix,
                            HttpErrorLog.LOGGERS));
        } catch (IOException e) {
            errorLog.close();
            return emerg(err, "cannot open the http error_log: " + e);
        }
        try {
            return serve(config, loaded, options, prefix, drain, greeting, out, err);
        } finally {
            httpLog.ifPresent(ErrorLogHandler::close);
            errorLog.close();
        }
    }

    private int serve(Path config, LoadResult.Loaded loaded, RunOptions options, Path prefix, Duration drain,
                      Greeting greeting, PrintWriter out, PrintWriter err) {
        Optional<ProcessUser.Ids> runAs;
        try {
            runAs = runAs(loaded.config().user(), err);
        } catch (IOException e) {
            return emerg(err, loaded.config().user().orElseThrow().position() + ": " + e.getMessage());
        }
        // Asked for before the listeners open, so that a stop at any moment from here on drains and exits 0: one that
        // comes while they open waits for them (a service manager may stop a unit right after its start).
        CompletableFuture<ProxylineServer> started = new CompletableFuture<>();
        signals.onStop(() -> {
            ProxylineServer running = started.join();
            if (running != null) running.stop(drain);
        });
        ProxylineServer server;
        try {
            server = ProxylineServer.start(loaded.config(), options);
        } catch (StartupException e) {
            started.complete(null);
            for (String problem : e.problems()) {
                err.println("proxyline: [emerg] " + problem);
            }
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            started.complete(null);
            throw e;
        }
        started.complete(server);
        PidFile pid = null;
        if (loaded.config().pidFile().isPresent()) {
            Path pidPath = prefix.resolve(loaded.config().pidFile().get());
            try {
                pid = PidFile.write(pidPath, ProcessHandle.current().pid());
            } catch (IOException e) {
                server.stop(Duration.ZERO);
                return emerg(err, "cannot write the pid file " + pidPath + ": " + e);
            }
        }
        if (runAs.isPresent()) {
            try {
                ProcessUser.switchTo(runAs.get());
            } catch (IOException e) {
                server.stop(Duration.ZERO);
                return emerg(err, "cannot run as " + runAs.get() + ": " + e.getMessage());
            }
            LOG.log(System.Logger.Level.INFO, "running as " + runAs.get());
        }
        String listening = server.listenAddresses().stream().map(RunCommand::format).collect(Collectors.joining(", "));
        out.println("proxyline: running " + config + ", "
                + (listening.isEmpty() ? "no listeners" : "listening on " + listening));
        greeting.greet(loaded.config(), prefix, out);
        out.flush();
        server.terminated().join();
        if (pid != null) {
            try {
                pid.close();
            } catch (IOException e) {
                err.println("proxyline: [warn] cannot remove the pid file: " + e);
                err.flush();
            }
        }
        return 0;
    }

    /**
     * The ids {@code user} names, to switch to once everything is bound; none when there is no {@code user}, or
     * when the process is not root, which nginx also only warns about.
     */
    private static Optional<ProcessUser.Ids> runAs(Optional<RunAs> user, PrintWriter err) throws IOException {
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (!ProcessUser.isRoot()) {
            err.println("proxyline: [warn] " + user.get().position() + ": the \"user\" directive makes sense only if "
                    + "proxyline runs as root; ignored");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(ProcessUser.resolve(user.get().user(), user.get().group()));
    }

    private static int emerg(PrintWriter err, String message) {
        err.println("proxyline: [emerg] " + message);
        err.flush();
        return 1;
    }

    private Duration parseTime(String text) {
        Matcher m = TIME.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ParameterException(spec.commandLine(), "invalid --drain-timeout \"" + text
                    + "\" (expected a time such as 500ms, 10s or 1m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String format(InetSocketAddress address) {
        String host = InetLiterals.format(address.getAddress()); // [::]:80, not [0:0:0:0:0:0:0:0]:80
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
