package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code user}: started as root, the packaged tool binds, then every thread of it runs as the user and group named
 * (read back from {@code /proc/PID/task/TID/status}); a user that does not exist stops it before it binds; started as
 * another user it warns and goes on, as nginx does. Needs root, as the switch does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserDirectiveJarIT {
    private static final String NOBODY = "65534";

    private Path jar;

    @TempDir
    Path dir;

    @BeforeEach
    void onlyAsRootAfterPackageOnLinux() throws IOException {
        jar = PackagedJar.onLinuxAfterPackage();
        Assumptions.assumeTrue("0".equals(idLine("/proc/self/status", "Uid:").get(1)), "needs root");
        Assumptions.assumeTrue(Files.readString(Path.of("/etc/passwd")).contains("nobody:x:" + NOBODY + ":"),
                "needs the user nobody with id " + NOBODY);
    }

    @Test
    void everyThreadRunsAsTheUserOnceTheSocketIsBound() throws Exception {
        int port = freePort();
        Process proxyline = start("user nobody nogroup;\n", port, List.of());
        try {
            PackagedJar.awaitLine(dir.resolve("run.log"), "running as");
            List<Path> threads;
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + proxyline.pid() + "/task"))) {
                threads = tasks.toList();
            }
            assertThat(threads).hasSizeGreaterThan(5);
            for (Path thread : threads) {
                assertThat(idLine(thread.resolve("status").toString(), "Uid:")).containsOnly(NOBODY);
                assertThat(idLine(thread.resolve("status").toString(), "Gid:")).containsOnly(NOBODY);
            }
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            }
            assertThat(Files.readString(dir.resolve("run.log")))
                    .contains("running as user nobody (" + NOBODY + "), group nogroup (" + NOBODY + ")");
        } finally {
            stop(proxyline);
        }
    }

    @Test
    void aUserThatDoesNotExistStopsItBeforeItBinds() throws Exception {
        Process proxyline = start("user no-such-user-here;\n", freePort(), List.of());
        assertThat(proxyline.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(proxyline.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("stdout.txt"))).contains("[emerg]")
                .contains("user.conf:1:1: getpwnam(\"no-such-user-here\") failed (no such user)")
                .doesNotContain("listening on");
    }

    @Test
    void startedAsAnotherUserItWarnsAndRuns() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        // The clone may sit in a directory only root can read (mktemp -d): nobody runs a copy in the test's own.
        jar = Files.copy(jar, dir.resolve("proxyline.jar"));
        Process proxyline = start("user root;\n", freePort(),
                List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        try {
            PackagedJar.awaitLine(dir.resolve("run.log"), "listening on");
            assertThat(Files.readString(dir.resolve("stdout.txt"))).contains("[warn] " + dir.resolve("user.conf")
                    + ":1:1: the \"user\" directive makes sense only if proxyline runs as root; ignored");
        } finally {
            stop(proxyline);
        }
    }

    private Process start(String user, int port, List<String> prefix) throws IOException {
        Path config = dir.resolve("user.conf");
        Files.writeString(config, user + "error_log run.log info;\n"
                + "stream { server { listen 127.0.0.1:" + port + "; proxy_pass 127.0.0.1:9; } }\n");
        // The directory and the files in it must stay readable for the jar started as nobody.
        jar.toFile().setReadable(true, false);
        dir.toFile().setReadable(true, false);
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx64m", "-jar", jar.toString(),
                "run", "-c", config.toString(), "--drain-timeout", "1s"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
    }

    private void stop(Process proxyline) throws Exception {
        proxyline.destroy();
        assertThat(proxyline.waitFor(20, TimeUnit.SECONDS)).as("proxyline stopped on SIGTERM").isTrue();
        assertThat(proxyline.exitValue()).as(Files.readString(dir.resolve("stdout.txt"))).isZero();
    }

    /** The four ids (real, effective, saved, file system) of a {@code Uid:} or {@code Gid:} line. */
    private static List<String> idLine(String status, String key) throws IOException {
        return Files.readAllLines(Path.of(status)).stream().filter(l -> l.startsWith(key))
                .map(l -> List.of(l.substring(key.length()).trim().split("\\s+"))).findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
