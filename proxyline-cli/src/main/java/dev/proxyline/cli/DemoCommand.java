package dev.proxyline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code proxyline demo}: {@code run} on {@code examples/seed-chain.conf} (the whole original setup on loopback),
 * then the {@code curl} commands to try and what they show.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole chain of examples/seed-chain.conf (balancer -> PROXY -> ingress -> demo backend) "
                + "and print the curl commands to try; Ctrl-C stops.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped after a drain", "1:the configuration has errors or a port is taken", "2:usage error"})
final class DemoCommand implements Callable<Integer> {
    /** Set by {@code bin/proxyline} to the checkout, so that the example is found from any directory. */
    static final String HOME_PROPERTY = "proxyline.home";
    static final Path SEED_CHAIN = Path.of("examples", "seed-chain.conf");
    private static final Duration DRAIN = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Another configuration to demonstrate. Default: examples/seed-chain.conf of the checkout.")
    Optional<Path> config;

    private final StopSignals signals;

    DemoCommand(StopSignals signals) {
        this.signals = Objects.requireNonNull(signals, "signals");
    }

    @Override
    public Integer call() {
        Path file = config.orElseGet(DemoCommand::seedChain);
        Path workingDirectory = Path.of("").toAbsolutePath();
        return new RunCommand(signals).run(file, Optional.of(DRAIN), Optional.empty(),
                (loaded, prefix, out) -> out.print(DemoGuide.of(loaded, prefix).render(workingDirectory)),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The example in the working directory, else in the checkout {@code bin/proxyline} runs from. */
    private static Path seedChain() {
        String home = System.getProperty(HOME_PROPERTY);
        if (Files.isRegularFile(SEED_CHAIN) || home == null) return SEED_CHAIN;
        return Path.of(home).resolve(SEED_CHAIN);
    }
}
