package dev.proxyline.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves the argument of {@code include}: relative paths against the main file's directory (nginx
 * uses its prefix; ours is where the main file lives), globs sorted by name as nginx sorts them. A glob
 * matching nothing is fine; a plain path that does not exist is an error.
 */
final class IncludeResolver {
    record Resolved(List<Path> files, Optional<String> error) {}

    private final Path baseDir;

    IncludeResolver(Path baseDir) {
        this.baseDir = baseDir;
    }

    Resolved resolve(String pattern) {
        Path path;
        try {
            path = baseDir.resolve(pattern).normalize();
        } catch (RuntimeException e) {
            return new Resolved(List.of(), Optional.of("invalid include path \"" + pattern + "\""));
        }
        if (!isGlob(pattern)) {
            if (!Files.exists(path)) {
                return new Resolved(List.of(), Optional.of("included file \"" + path + "\" does not exist"));
            }
            if (Files.isDirectory(path)) {
                return new Resolved(List.of(), Optional.of("included path \"" + path + "\" is a directory (use a glob such as \"" + pattern + "/*.conf\")"));
            }
            return new Resolved(List.of(path), Optional.empty());
        }
        return glob(path);
    }

    private static Resolved glob(Path pattern) {
        // Walk from the deepest directory that has no glob characters; match the whole path.
        Path root = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
        int firstGlob = 0;
        for (; firstGlob < pattern.getNameCount(); firstGlob++) {
            if (isGlob(pattern.getName(firstGlob).toString())) break;
            root = root.resolve(pattern.getName(firstGlob));
        }
        int depth = pattern.getNameCount() - firstGlob;
        if (!Files.isDirectory(root)) {
            return new Resolved(List.of(), Optional.empty());
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeForMatcher(pattern.toString()));
        try (Stream<Path> walk = Files.walk(root, depth)) {
            List<Path> files = walk.filter(p -> p.getNameCount() == pattern.getNameCount())
                    .filter(matcher::matches)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
            return new Resolved(files, Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new Resolved(List.of(), Optional.of("cannot list \"" + root + "\": " + e.getMessage()));
        }
    }

    /** nginx globs use * ? [..] only; braces are literal there, so escape them for the JDK matcher. */
    private static String escapeForMatcher(String s) {
        return s.replace("{", "\\{").replace("}", "\\}");
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }
}
