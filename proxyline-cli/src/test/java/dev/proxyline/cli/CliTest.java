package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command tree: what exists, help, version and exit codes. */
class CliTest {

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun run = CliRun.run("", "version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("proxyline \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)\\n");
        assertThat(run.out()).doesNotContain("${");
    }

    @Test
    void dashDashVersionPrintsTheSame() {
        assertThat(CliRun.run("", "--version").out()).isEqualTo(CliRun.run("", "version").out());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun run = CliRun.run("", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("pp", "version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pp decode --help", "pp encode --help", "pp --help", "version --help"})
    void everyCommandHasHelp(String args) {
        CliRun run = CliRun.run("", args.split(" "));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: proxyline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pp", "frobnicate", "pp frobnicate", "pp decode --frobnicate", "pp encode extra"})
    void usageErrorsExitTwoAndPrintNothingOnStandardOutput(String args) {
        CliRun run = CliRun.run("", args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Usage: proxyline");
    }

    @Test
    void anUnreadableStandardInputExitsOneWithAMessage() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };

        int exitCode = Cli.create(broken, new PrintWriter(out), new PrintWriter(err)).execute("pp", "decode");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("proxyline pp decode: cannot read standard input: Input/output error\n");
    }

    @Test
    void aClosedStandardOutputStopsTheToolWithExitOne() {
        StringWriter err = new StringWriter();
        PrintWriter closed = new PrintWriter(Writer.nullWriter());
        closed.close(); // writing to a closed PrintWriter sets its error flag, like a broken pipe

        int exitCode = Cli.create(new ByteArrayInputStream("{\"version\":1}\n".getBytes(StandardCharsets.UTF_8)),
                closed, new PrintWriter(err)).execute("pp", "encode");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write standard output");
    }

    @Test
    void theToolsExitZeroWhateverTheVerdicts() {
        assertThat(CliRun.run("zz\n\n50\n", "pp", "decode").exitCode()).isZero();
        assertThat(CliRun.run("nope\n{}\n", "pp", "encode").exitCode()).isZero();
    }
}
