package dev.proxyline.server.runtime;

import java.util.List;

/** The configuration cannot be turned into a runtime; lists every problem at once, as {@code nginx -t}. */
public final class RuntimePlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one message per problem, at least one */
    public RuntimePlanException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a plan failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in configuration order. */
    public List<String> problems() {
        return problems;
    }
}
