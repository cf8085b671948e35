package dev.proxyline.cli;

import dev.proxyline.config.ConfigError;
import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Validates a configuration file the way {@code nginx -t} does: every error and warning as
 * {@code file:line:column: message}, then one verdict line. Shared by {@code proxyline check} and
 * {@code proxyline -t}.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    /** Checks {@code file}; returns the exit code: 0 when it loads, 1 when it does not. */
    static int run(Path file, PrintWriter out, PrintWriter err) {
        LoadResult result = ConfigLoader.load(file);
        for (ConfigError warning : result.warnings()) {
            err.println("proxyline: [warn] " + warning);
        }
        for (ConfigError error : result.errors()) {
            err.println("proxyline: [emerg] " + error);
        }
        if (result.ok()) {
            out.println("proxyline: the configuration file " + file + " syntax is ok");
            out.println("proxyline: configuration file " + file + " test is successful");
        } else {
            err.println("proxyline: configuration file " + file + " test failed");
        }
        out.flush();
        err.flush();
        return result.ok() ? 0 : 1;
    }
}
