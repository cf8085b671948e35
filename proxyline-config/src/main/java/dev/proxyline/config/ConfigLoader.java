package dev.proxyline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Entry point: reads an nginx-style configuration file (with its includes), checks it against the
 * directive table and builds the typed model. Never throws for bad input; every problem comes back as a
 * {@link ConfigError} in {@link LoadResult.Failed}, all of them at once.
 *
 * <pre>{@code
 * LoadResult result = ConfigLoader.load(Path.of("/etc/proxyline/proxyline.conf"));
 * if (result instanceof LoadResult.Failed f) f.errors().forEach(System.err::println);
 * }</pre>
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads a file; relative {@code include} paths are resolved against the file's directory. */
    public static LoadResult load(Path file) {
        Objects.requireNonNull(file, "file");
        Path base = file.toAbsolutePath().normalize().getParent();
        Errors errors = new Errors();
        DirectiveTable table = DirectiveTable.standard();
        SyntaxParser parser = new SyntaxParser(errors, new IncludeResolver(base), table::isProxylineDirective);
        List<Directive> tree = parser.parseFile(file, new Position(file.toString(), 1, 1));
        return build(tree, table, errors, file.toString());
    }

    /**
     * Loads configuration text; {@code name} is used in error positions and {@code baseDir} resolves relative
     * includes. Handy for tests and for {@code proxyline check} reading standard input.
     */
    public static LoadResult parse(String name, String text, Path baseDir) {
        Errors errors = new Errors();
        DirectiveTable table = DirectiveTable.standard();
        SyntaxParser parser = new SyntaxParser(errors, new IncludeResolver(baseDir.toAbsolutePath().normalize()),
                table::isProxylineDirective);
        Path identity;
        try {
            identity = baseDir.resolve(name);
        } catch (RuntimeException e) {
            identity = baseDir.resolve("config"); // the name is only a label; any path works for cycle detection
        }
        List<Directive> tree = parser.parseText(name, text, identity);
        return build(tree, table, errors, name);
    }

    /**
     * Only the generic syntax tree (includes spliced in) and the syntax errors, without the directive table.
     * For tools that want to look at the structure of any nginx-style file.
     */
    public static SyntaxTree parseSyntax(Path file) {
        Errors errors = new Errors();
        Path base = file.toAbsolutePath().normalize().getParent();
        SyntaxParser parser = new SyntaxParser(errors, new IncludeResolver(base), name -> false);
        List<Directive> tree = parser.parseFile(file, new Position(file.toString(), 1, 1));
        return new SyntaxTree(tree, errors.toList());
    }

    private static LoadResult build(List<Directive> tree, DirectiveTable table, Errors errors, String file) {
        try {
            List<Directive> valid = new StructureValidator(table, errors).validate(tree, Context.MAIN);
            ProxylineConfig config = new ConfigBuilder(new ArgReader(errors)).build(valid);
            return errors.isEmpty()
                    ? new LoadResult.Loaded(config, errors.warnings())
                    : new LoadResult.Failed(errors.toList(), errors.warnings());
        } catch (RuntimeException e) {
            // A bug of ours must still come out as a diagnostic, not a stack trace on the operator's terminal.
            errors.add(new Position(file, 1, 1), "internal error while checking the configuration: " + e);
            return new LoadResult.Failed(errors.toList(), errors.warnings());
        }
    }
}
