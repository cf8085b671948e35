package dev.proxyline.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostnamesTest {
    @TempDir
    Path dir;

    @Test
    void kernelHostnameIsReadWithoutItsNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("hostname"), "edge-1\n");
        assertThat(Hostnames.current(file, Map.of("HOSTNAME", "other"))).isEqualTo("edge-1");
    }

    @Test
    void withoutKernelFileTheEnvironmentThenLocalhostIsUsed() {
        Path missing = dir.resolve("missing");
        assertThat(Hostnames.current(missing, Map.of("HOSTNAME", "from-env"))).isEqualTo("from-env");
        assertThat(Hostnames.current(missing, Map.of())).isEqualTo("localhost");
    }
}
