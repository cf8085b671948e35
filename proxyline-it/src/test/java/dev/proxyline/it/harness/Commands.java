package dev.proxyline.it.harness;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands (version queries, openssl, curl) with a bound on their time. */
public final class Commands {
    private Commands() {
    }

    /** The command's stdout and stderr together; fails if it runs past {@code timeout}. */
    public static String run(List<String> command, Duration timeout) {
        return runForResult(command, timeout).output();
    }

    /** The command's exit status and its stdout and stderr together. */
    public static Result runForResult(List<String> command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process process = builder.start();
            // Output is small; reading it on this thread cannot block the child for long, and the
            // wait below bounds the whole run.
            byte[][] output = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    output[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    output[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
                }
            }, "output of " + command.get(0));
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                Assertions.fail(command + " did not finish within " + timeout);
            }
            reader.join(timeout.toMillis());
            return new Result(process.exitValue(), output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** How a command ended. */
    public record Result(int status, String output) {
    }
}
