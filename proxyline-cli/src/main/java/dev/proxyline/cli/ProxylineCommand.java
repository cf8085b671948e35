package dev.proxyline.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code proxyline}: the top of the command tree. Its subcommands are wired in {@link Cli}. */
@Command(name = "proxyline", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "Layer-4 balancer and layer-7 ingress that keeps the real client IP with the PROXY protocol.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (such as unreadable input)", "2:usage error"})
final class ProxylineCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    // nginx's own spelling, so that `proxyline -t -c FILE` works where `nginx -t -c FILE` did.
    @Option(names = "-t", description = "Check the configuration file given with -c and exit (same as `check`).")
    boolean test;

    @Option(names = "-c", paramLabel = "FILE", description = "The configuration file, with -t.")
    Path config;

    @Override
    public Integer call() {
        if (test) {
            if (config == null) {
                throw new ParameterException(spec.commandLine(), "-t needs the configuration file: -t -c FILE");
            }
            return ConfigCheck.run(config, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (config != null) {
            throw new ParameterException(spec.commandLine(), "-c without -t: use `proxyline run -c FILE` to serve, `proxyline -t -c FILE` or `proxyline check -c FILE` to check");
        }
        return super.call();
    }

    @Override
    protected CommandSpec spec() {
        return spec;
    }
}
