package dev.proxyline.config;

import java.util.List;

/** The generic tree of a file with includes spliced in, plus any syntax errors (empty when the syntax is fine). */
public record SyntaxTree(List<Directive> directives, List<ConfigError> errors) {
    public SyntaxTree {
        directives = List.copyOf(directives);
        errors = List.copyOf(errors);
    }
}
