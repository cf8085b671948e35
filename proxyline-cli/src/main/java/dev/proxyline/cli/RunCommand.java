package dev.proxyline.cli;

import dev.proxyline.config.ConfigError;
import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.app.ProxylineServer;
import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.app.StartupException;
import dev.proxyline.server.transport.Transport;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
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
 * serves its {@code stream} servers in the foreground and drains on SIGTERM or SIGINT. Prints one
 * line to standard output once every listener is bound; everything else goes to the log.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve the stream servers of a configuration file in the foreground; SIGTERM drains and exits 0.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped after a drain", "1:the configuration has errors or a listener cannot be bound",
                "2:usage error"})
final class RunCommand implements Callable<Integer> {
    private static final Pattern TIME = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    /** Which socket implementation to run on. */
    enum TransportChoice {
        /** The JDK's sockets; relays half-closed streams correctly (the default). */
        nio,
        /** Linux epoll; honours reuseport, but Netty 4.2.18 can reset half-closed sessions. */
        epoll
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration file.")
    Path config;

    @Option(names = "--drain-timeout", paramLabel = "TIME", defaultValue = "10s",
            description = "How long a stop waits for open sessions before closing them (nginx time: 500ms, 10s, 1m). Default: ${DEFAULT-VALUE}.")
    String drainTimeout;

    @Option(names = "--transport", paramLabel = "nio|epoll", defaultValue = "nio",
            description = "Socket implementation. Default: ${DEFAULT-VALUE}; epoll has a half-close defect in Netty 4.2.18.")
    TransportChoice transport;

    private final StopSignals signals;

    RunCommand(StopSignals signals) {
        this.signals = Objects.requireNonNull(signals, "signals");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration drain = parseTime(drainTimeout);
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
        RunOptions options;
        try {
            // Relative access log paths resolve against the configuration's directory, as its includes do.
            options = RunOptions.defaults().withDrainTimeout(drain)
                    .withPrefix(config.toAbsolutePath().normalize().getParent())
                    .withTransport(transport == TransportChoice.epoll ? Transport.epoll() : Transport.nio());
        } catch (UnsupportedOperationException e) {
            err.println("proxyline: [emerg] " + e.getMessage());
            err.flush();
            return 1;
        }
        ProxylineServer server;
        try {
            server = ProxylineServer.start(loaded.config(), options);
        } catch (StartupException e) {
            for (String problem : e.problems()) {
                err.println("proxyline: [emerg] " + problem);
            }
            err.flush();
            return 1;
        }
        signals.onStop(() -> server.stop(drain));
        String listening = server.listenAddresses().stream().map(RunCommand::format).collect(Collectors.joining(", "));
        out.println("proxyline: running " + config + ", "
                + (listening.isEmpty() ? "no listeners" : "listening on " + listening));
        out.flush();
        server.terminated().join();
        return 0;
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
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
