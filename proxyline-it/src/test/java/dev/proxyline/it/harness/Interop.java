package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the real peers (nginx, HAProxy, curl, openssl) and decides what a missing one means.
 *
 * <p>With {@code -Dinterop.required=true} (CI sets it through the module's {@code CI=true} profile) a
 * missing peer fails the test, so a broken CI image cannot pass by skipping everything. Without it a
 * developer who has not installed the peers gets a skip that says how to install them.
 */
public final class Interop {
    /** What {@code .ci/run} installs on Debian 12. */
    public static final String INSTALL_HINT =
            "apt-get install nginx libnginx-mod-stream haproxy curl openssl";

    // Debian puts nginx and haproxy in /usr/sbin, which is not on every user's PATH.
    private static final List<Path> EXTRA_DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"),
            Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private Interop() {
    }

    /** True when a missing peer must fail the build rather than skip. */
    public static boolean required() {
        return Boolean.parseBoolean(System.getProperty("interop.required", "false"));
    }

    /** The peer's executable, or a failure / skip naming the packages to install. */
    public static Path requireBinary(String name) {
        return findBinary(name).orElseGet(() -> unavailable(name + " is not installed"));
    }

    /**
     * The executable {@code name} on the PATH or in the usual system directories; only in the
     * directories of {@code -Dinterop.path=dir:dir} when that is set (to try other builds of the peers).
     */
    public static Optional<Path> findBinary(String name) {
        List<Path> directories = new ArrayList<>();
        String override = System.getProperty("interop.path", "");
        String path = override.isEmpty() ? System.getenv("PATH") : override;
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isEmpty()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        if (override.isEmpty()) {
            directories.addAll(EXTRA_DIRECTORIES);
        }
        for (Path directory : directories) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Fails (interop required) or skips (not required) the running test because {@code what}; the
     * message always carries the install hint. Declared to return so callers can use it in
     * expressions; it never does.
     */
    public static <T> T unavailable(String what) {
        String message = what + "; install the interop peers with: " + INSTALL_HINT
                + (required() ? " (interop.required=true, so this fails instead of skipping)" : "");
        if (required()) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
