package dev.proxyline.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RLIMIT_NOFILE of this test JVM, read back from {@code /proc/self/limits}, not from our own call. Nothing here
 * lowers the limit: the JVM's other tests share it.
 */
class OpenFileLimitTest {

    @BeforeEach
    void onSupportedPlatforms() {
        Assumptions.assumeTrue(OpenFileLimit.supported(), "64-bit Linux only");
    }

    @Test
    void currentIsWhatTheKernelReports() throws IOException {
        assertThat(OpenFileLimit.current()).isEqualTo(fromProc());
    }

    @Test
    void settingAboveTheKernelCeilingFailsAsNginxSaysAndChangesNothing() throws IOException {
        OpenFileLimit.Limits before = OpenFileLimit.current();
        // One read of the whole line: a sysctl file read piecemeal (as Files.readString does) ends after one byte.
        long aboveCeiling = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/nr_open")).get(0).trim()) + 1;
        // Were the call to succeed, it must not lower the limit of the JVM the other tests run in.
        assertThat(aboveCeiling).isGreaterThan(before.hard());

        // Even with CAP_SYS_RESOURCE: no process may go above fs.nr_open.
        assertThatThrownBy(() -> OpenFileLimit.set(aboveCeiling)).isInstanceOf(IOException.class)
                .hasMessage("setrlimit(RLIMIT_NOFILE, " + aboveCeiling + ") failed (1: Operation not permitted)");
        assertThat(fromProc()).isEqualTo(before);
    }

    @Test
    void settingSetsTheSoftAndTheHardLimit() throws IOException {
        long hard = OpenFileLimit.current().hard();
        Assumptions.assumeTrue(hard != OpenFileLimit.Limits.UNLIMITED, "no finite hard limit to keep");

        // The hard limit itself: allowed without privilege, and it lowers nothing.
        OpenFileLimit.set(hard);

        assertThat(fromProc()).isEqualTo(new OpenFileLimit.Limits(hard, hard));
    }

    /** The "Max open files" line of /proc/self/limits: soft, hard, "unlimited" for none. */
    private static OpenFileLimit.Limits fromProc() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
        return new OpenFileLimit.Limits(parse(fields[0]), parse(fields[1]));
    }

    private static long parse(String field) {
        return field.equals("unlimited") ? OpenFileLimit.Limits.UNLIMITED : Long.parseLong(field);
    }
}
