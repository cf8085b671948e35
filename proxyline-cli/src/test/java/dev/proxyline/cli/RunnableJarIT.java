package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool, run in its own JVM: the shaded jar's manifest, its dependencies, and
 * {@code bin/proxyline}. Runs after {@code package} (see the module POM), never from an IDE's
 * plain test run, where the jar may be missing or stale.
 */
class RunnableJarIT {
    private static final String V2_LOCAL = "0d0a0d0a000d0a515549540a20000000";

    private final Path jar = Path.of(System.getProperty("proxyline.jar", "target/proxyline.jar"));
    private final Path script = Path.of(System.getProperty("proxyline.script", "../bin/proxyline"));
    private final String javaHome = System.getProperty("java.home");

    /**
     * A test filter such as {@code -Dtest='dev.proxyline.cli.Run*'} also selects this class in the
     * default test run, before {@code package}; only the runnable-jar execution sets the property.
     */
    @BeforeEach
    void onlyAfterPackage() {
        Assumptions.assumeTrue(System.getProperty("proxyline.jar") != null,
                "runs in the runnable-jar execution after package (proxyline.jar is set there)");
    }

    @Test
    void theManifestNamesTheMainClassAndVersion() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(file.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(BuildInfo.version());
            assertThat(file.getEntry("picocli/CommandLine.class")).isNotNull();
            assertThat(file.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class")).isNotNull();
            assertThat(file.getEntry("dev/proxyline/protocol/ProxyHeaderDecoder.class")).isNotNull();
        }
    }

    @Test
    void javaDashJarDecodes() throws Exception {
        Result result = run(List.of(javaHome + "/bin/java", "-jar", jar.toString(), "pp", "decode"), null, V2_LOCAL + "\n");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("{\"ok\":true,\"version\":2,\"command\":\"LOCAL\"");
    }

    @Test
    void eachAnswerIsFlushedBeforeTheNextLineIsRead() throws Exception {
        Process process = new ProcessBuilder(javaHome + "/bin/java", "-jar", jar.toString(), "pp", "encode").start();
        try (OutputStream stdin = process.getOutputStream();
             BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> answers = new ArrayList<>();
            for (String request : List.of("{\"version\":2,\"command\":\"LOCAL\"}", "{\"version\":1}")) {
                stdin.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                answers.add(stdout.readLine()); // would block forever if the tool buffered its output
            }
            assertThat(answers).containsExactly("{\"ok\":true,\"hex\":\"" + V2_LOCAL + "\"}",
                    "{\"ok\":true,\"hex\":\"50524f585920554e4b4e4f574e0d0a\"}");
        } finally {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theScriptRunsFromAnyDirectoryThroughASymlink(@TempDir Path elsewhere) throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("proxyline"), script.toAbsolutePath());

        try {
            Result result = run(List.of(link.toString(), "version"), elsewhere, "");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).startsWith("proxyline " + BuildInfo.version());
        } finally {
            Files.delete(link); // ourselves: JUnit warns about links pointing out of its directory
        }
    }

    @Test
    void theScriptPassesExitCodesThrough(@TempDir Path elsewhere) throws Exception {
        assertThat(run(List.of(script.toAbsolutePath().toString(), "pp"), elsewhere, "").exitCode()).isEqualTo(2);
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result run(List<String> command, Path directory, String stdin) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().put("JAVA_HOME", javaHome);
        Path out = Files.createTempFile("proxyline-out", ".txt");
        Path err = Files.createTempFile("proxyline-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("finished").isTrue();
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
