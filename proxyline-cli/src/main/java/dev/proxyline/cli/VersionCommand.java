package dev.proxyline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code proxyline version}: prints the version of proxyline and of the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the version of proxyline and of the Java runtime it runs on.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(BuildInfo.describe() + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
