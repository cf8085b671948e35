package dev.proxyline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proxyline check -c FILE}: validates a configuration file and reports every problem at once. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a configuration file (like nginx -t): print \"syntax is ok\" or every error as file:line:column.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration is valid", "1:the configuration has errors", "2:usage error"})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration file.")
    Path config;

    @Override
    public Integer call() {
        return ConfigCheck.run(config, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
