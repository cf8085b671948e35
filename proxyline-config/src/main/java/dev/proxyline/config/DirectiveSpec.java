package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the directive table: where a directive may appear, how many arguments it takes, whether it
 * opens a block (and which context its children are in) and whether it may repeat in one block.
 */
record DirectiveSpec(String name, Set<Context> contexts, int minArgs, int maxArgs, Optional<Context> blockContext,
                     boolean repeatable) {
    static final int MANY = Integer.MAX_VALUE;

    DirectiveSpec {
        Objects.requireNonNull(name, "name");
        contexts = Set.copyOf(contexts);
        if (minArgs < 0 || maxArgs < minArgs) throw new IllegalArgumentException("arity of " + name);
    }

    boolean isBlock() {
        return blockContext.isPresent();
    }
}
