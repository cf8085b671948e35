package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxyline check -c FILE} and its nginx spelling {@code proxyline -t -c FILE}. */
class CheckCommandTest {
    private static final String SEED_STREAM = """
            stream {
                upstream k8s-http  { server 10.0.0.30:80; }
                server {
                    listen 80;
                    proxy_connect_timeout 1s;
                    proxy_protocol on;
                    proxy_pass k8s-http;
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aValidConfigurationSaysSyntaxIsOkAndExitsZero() throws IOException {
        Path file = write("proxyline.conf", SEED_STREAM);

        CliRun run = CliRun.run("", "check", "-c", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("the configuration file " + file + " syntax is ok",
                "configuration file " + file + " test is successful");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void dashTDashCIsTheSameCheck() throws IOException {
        Path file = write("proxyline.conf", SEED_STREAM);

        CliRun run = CliRun.run("", "-t", "-c", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("syntax is ok");
    }

    @Test
    void everyErrorIsReportedWithFileLineAndColumnAndExitsOne() throws IOException {
        Path file = write("broken.conf", """
                stream {
                    server {
                        listen 80;
                        proxy_pass nowhere;
                        frobnicate on;
                    }
                }
                """);

        CliRun run = CliRun.run("", "check", "-c", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(file + ":5:9: ", "frobnicate")
                .contains(file + ":4:", "nowhere")
                .contains("test failed");
        assertThat(run.out()).doesNotContain("syntax is ok");
    }

    @Test
    void aMissingFileIsAnErrorNotAStackTrace() {
        CliRun run = CliRun.run("", "check", "-c", dir.resolve("absent.conf").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("absent.conf").doesNotContain("Exception");
    }

    @Test
    void checkWithoutAFileIsAUsageError() {
        assertThat(CliRun.run("", "check").exitCode()).isEqualTo(2);
        assertThat(CliRun.run("", "-t").exitCode()).isEqualTo(2);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
