package dev.proxyline.server.app;

import java.util.List;

/**
 * The server could not start: a listener could not be bound, or the configuration cannot be turned
 * into a runtime (an upstream name without addresses, say). Lists every problem; no stack trace is
 * needed to understand it.
 */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one line per problem, at least one */
    public StartupException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a startup failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in configuration order. */
    public List<String> problems() {
        return problems;
    }
}
