package dev.proxyline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command that only groups subcommands: run alone it is a usage error (exit 2) that lists them,
 * instead of doing nothing and succeeding.
 */
abstract class GroupCommand implements Callable<Integer> {

    /** The spec of the concrete command, injected by picocli. */
    protected abstract CommandSpec spec();

    @Override
    public Integer call() {
        throw new ParameterException(spec().commandLine(), "Missing required subcommand: one of "
                + String.join(", ", spec().subcommands().keySet()));
    }
}
