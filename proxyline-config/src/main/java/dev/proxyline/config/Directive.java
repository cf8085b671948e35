package dev.proxyline.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node of the generic syntax tree: name, arguments and, for block directives, the children.
 * Nothing here knows what a directive means; that is the job of {@link DirectiveTable} and the builders.
 */
public record Directive(String name, Position position, List<Argument> args, Optional<List<Directive>> block) {
    public Directive {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(position, "position");
        args = List.copyOf(args);
        block = block.map(List::copyOf);
    }

    public boolean hasBlock() {
        return block.isPresent();
    }

    /** Children of a block directive; empty for a simple directive. */
    public List<Directive> children() {
        return block.orElse(List.of());
    }

    public Argument arg(int i) {
        return args.get(i);
    }
}
