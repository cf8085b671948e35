package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker_rlimit_nofile} sets the process's open file limit, soft and hard, as nginx's workers get it, and a
 * {@code worker_connections} the limit cannot hold is warned about. The packaged tool runs in its own JVM, so the
 * lowered limit cannot touch the test's process; the limit is read back from {@code /proc/PID/limits}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenFileLimitJarIT {
    private Path jar;

    @TempDir
    Path dir;

    @BeforeEach
    void onlyAfterPackageOnLinux() {
        jar = PackagedJar.onLinuxAfterPackage();
    }

    @Test
    void theLimitIsSetAndAWorkerConnectionsItCannotHoldIsWarnedAbout() throws Exception {
        int listen;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listen = probe.getLocalPort();
        }
        Path config = dir.resolve("limits.conf");
        Files.writeString(config, """
                worker_processes 1;
                worker_rlimit_nofile 2048;
                events { worker_connections 4096; }
                error_log limits.log info;
                stream { server { listen 127.0.0.1:%d; proxy_pass 127.0.0.1:9; } }
                """.formatted(listen));
        Path log = dir.resolve("limits.log");
        Process proxyline = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx64m", "-jar",
                jar.toString(), "run", "-c", config.toString(), "--drain-timeout", "1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        try {
            PackagedJar.awaitLine(log, "listening on");
            String limits = Files.readString(Path.of("/proc/" + proxyline.pid() + "/limits"));
            assertThat(limits).containsPattern("(?m)^Max open files +2048 +2048 +files");
            assertThat(Files.readString(log)).contains("[warn]").contains("4096 worker_connections of 1 worker(s) may "
                    + "hold 8192 sockets (a client and an upstream each), more than the open file resource limit: 2048; "
                    + "raise it with worker_rlimit_nofile");
        } finally {
            proxyline.destroy();
            assertThat(proxyline.waitFor(20, TimeUnit.SECONDS)).as("proxyline stopped on SIGTERM").isTrue();
        }
        assertThat(proxyline.exitValue()).as(Files.readString(dir.resolve("stdout.txt"))).isZero();
    }
}
