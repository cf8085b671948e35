package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A tool that reads lines on standard input and answers each with one line of JSON. It exits 0
 * whenever it could read its input, whatever the verdicts: a rejected header is a result, not an
 * error of the tool. It exits 1 when standard input cannot be read or standard output written.
 */
abstract class LineToolCommand implements Callable<Integer> {
    private final InputStream stdin;

    LineToolCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /** The spec of the concrete command, injected by picocli. */
    protected abstract CommandSpec spec();

    /** What to print for one line; called once the options are parsed. */
    protected abstract Function<String, ObjectNode> verdict();

    @Override
    public Integer call() {
        Function<String, ObjectNode> verdict = verdict();
        try {
            JsonLines.process(stdin, spec().commandLine().getOut(), verdict);
            return 0;
        } catch (IOException e) {
            spec().commandLine().getErr().print(spec().qualifiedName() + ": " + e.getMessage() + "\n");
            spec().commandLine().getErr().flush();
            return 1;
        }
    }
}
