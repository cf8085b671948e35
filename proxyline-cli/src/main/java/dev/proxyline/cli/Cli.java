package dev.proxyline.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds the {@code proxyline} command tree. The one place where commands get their streams, so
 * that tests run the real tree in-process with their own standard input and output.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * The command line of {@code proxyline}, reading {@code stdin} and printing to {@code out} and
     * {@code err}. {@link CommandLine#execute} returns its exit code: 0 on success, 1 on failure,
     * 2 on a usage error.
     */
    public static CommandLine create(InputStream stdin, PrintWriter out, PrintWriter err) {
        return create(stdin, out, err, StopSignals.jvm());
    }

    /** As {@link #create(InputStream, PrintWriter, PrintWriter)}, with {@code run} stopped through {@code signals}. */
    static CommandLine create(InputStream stdin, PrintWriter out, PrintWriter err, StopSignals signals) {
        CommandLine pp = new CommandLine(new PpCommand())
                .addSubcommand(new PpDecodeCommand(stdin))
                .addSubcommand(new PpEncodeCommand(stdin));
        CommandLine root = new CommandLine(new ProxylineCommand())
                .addSubcommand(pp)
                .addSubcommand(new CheckCommand())
                .addSubcommand(new RunCommand(signals))
                .addSubcommand(new DemoCommand(signals))
                .addSubcommand(new VersionCommand());
        // Set last: picocli copies these to the subcommands that exist at the time of the call.
        root.setOut(out);
        root.setErr(err);
        return root;
    }
}
