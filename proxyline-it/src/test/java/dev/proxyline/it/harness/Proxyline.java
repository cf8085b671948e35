package dev.proxyline.it.harness;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import dev.proxyline.server.app.ProxylineServer;
import dev.proxyline.server.app.RunOptions;
import dev.proxyline.server.app.StartupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;

/**
 * proxyline started in-process, as {@code proxyline run -c DIR/proxyline.conf} would: the
 * configuration text is written to the test's directory, loaded by {@link ConfigLoader} (relative log
 * paths land in that directory) and served until {@link #close()}.
 */
public final class Proxyline implements AutoCloseable {
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ProxylineServer server;
    private final Path directory;

    private Proxyline(ProxylineServer server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    /** Loads {@code config}, failing with every configuration error at once, and starts serving it. */
    public static Proxyline start(Path directory, String config) {
        return start(directory, config, UnaryOperator.identity());
    }

    /** As {@link #start(Path, String)}, with the run options {@code options} makes (another transport, say). */
    public static Proxyline start(Path directory, String config, UnaryOperator<RunOptions> options) {
        Path file = directory.resolve("proxyline.conf");
        PeerProcess.write(file, config);
        LoadResult result = ConfigLoader.load(file);
        if (!(result instanceof LoadResult.Loaded loaded)) {
            return Assertions.fail("proxyline refused its configuration: " + ((LoadResult.Failed) result).errors()
                    + "\n" + config);
        }
        try {
            return new Proxyline(ProxylineServer.start(loaded.config(),
                    options.apply(RunOptions.defaults().withPrefix(directory).withDrainTimeout(DRAIN))), directory);
        } catch (StartupException e) {
            return Assertions.fail("proxyline did not start: " + e.getMessage() + "\n" + config);
        }
    }

    /** The text of the access log {@code name} (relative to the test's directory) so far. */
    public String log(String name) {
        return PeerProcess.read(directory.resolve(name));
    }

    /** The first line of access log {@code name} that matches, waiting for it: a session logs when it ends. */
    public String awaitLine(String name, Predicate<String> matches, Duration timeout) {
        return awaitLines(name, matches, 1, timeout).get(0);
    }

    /** The first {@code count} lines of access log {@code name} that match, waiting for them. */
    public List<String> awaitLines(String name, Predicate<String> matches, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = log(name).lines().filter(matches).limit(count).toList();
            if (lines.size() == count) {
                return lines;
            }
            if (System.nanoTime() > deadline) {
                return Assertions.fail(count + " matching lines expected in proxyline's " + name + " within " + timeout
                        + ", " + lines.size() + " found:\n" + log(name));
            }
            PeerProcess.sleep(Duration.ofMillis(20));
        }
    }

    /** Stops serving; live sessions get {@link #DRAIN} to end, and every session has logged when this returns. */
    @Override
    public void close() {
        server.stop(DRAIN);
    }
}
