package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.it.harness.Commands;
import dev.proxyline.it.harness.Interop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code packaging/proxyline.service} passes {@code systemd-analyze verify} and stops slower than it drains. */
class PackagingTest {
    private static final Path UNIT = Path.of(System.getProperty("proxyline.root", "..")).resolve("packaging/proxyline.service");
    private static final String JAVA = "/usr/bin/java";

    @TempDir
    Path directory;

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerifyWithoutAWord() throws IOException {
        Optional<Path> analyze = Interop.findBinary("systemd-analyze");
        Assumptions.assumeTrue(analyze.isPresent(), "systemd-analyze is not installed (package systemd): the unit is not checked");
        String unit = Files.readString(UNIT);
        if (!Files.isExecutable(Path.of(JAVA))) {
            // verify fails on an ExecStart binary that does not exist; check the rest with this JVM's java.
            unit = unit.replace(JAVA, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        Path copy = directory.resolve("proxyline.service");
        Files.writeString(copy, unit);

        // --man=no: the Documentation= check would need man pages. No running systemd is needed.
        Commands.Result result = Commands.runForResult(List.of(analyze.get().toString(), "verify", "--man=no",
                copy.toString()), Duration.ofSeconds(20));

        // An unknown key or a bad value is only a warning (exit 0), so the output must be empty too.
        assertThat(result.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(result.status()).isZero();
    }

    @Test
    void systemdWaitsLongerThanTheDrainBeforeItKills() throws IOException {
        String unit = Files.readString(UNIT);

        long drain = seconds(unit, "--drain-timeout (\\d+)s");
        long stop = seconds(unit, "(?m)^TimeoutStopSec=(\\d+)s$");

        assertThat(unit).contains("\nKillSignal=SIGTERM\n").doesNotContainPattern("(?m)^ExecReload=");
        assertThat(stop).isGreaterThan(drain);
    }

    private static long seconds(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex + " in the unit").isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
