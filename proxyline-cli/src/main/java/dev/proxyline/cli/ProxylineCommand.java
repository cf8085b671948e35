package dev.proxyline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code proxyline}: the top of the command tree. Its subcommands are wired in {@link Cli}. */
@Command(name = "proxyline", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "Layer-4 balancer and layer-7 ingress that keeps the real client IP with the PROXY protocol.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (such as unreadable input)", "2:usage error"})
final class ProxylineCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    protected CommandSpec spec() {
        return spec;
    }
}
