package dev.proxyline.server.upstream;

import java.util.List;

/** An upstream group that cannot be built; lists every problem at once, as {@code nginx -t} does. */
public final class InvalidUpstreamException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems one message per problem, at least one */
    public InvalidUpstreamException(String upstream, List<String> problems) {
        super("invalid upstream \"" + upstream + "\": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem found, in configuration order. */
    public List<String> problems() {
        return problems;
    }
}
