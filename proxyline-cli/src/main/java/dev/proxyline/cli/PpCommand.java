package dev.proxyline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code proxyline pp}: PROXY protocol tools. */
@Command(name = "pp", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "PROXY protocol (v1/v2) tools: decode and encode headers, one per line, as JSON.")
final class PpCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    protected CommandSpec spec() {
        return spec;
    }
}
