package dev.proxyline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void relativeGlobsResolveAgainstTheMainFileDirectoryInNameOrder() throws IOException {
        write("conf.d/20-b.conf", "server { listen 2; proxy_pass u; }\n");
        write("conf.d/10-a.conf", "server { listen 1; proxy_pass u; }\n");
        write("conf.d/ignored.txt", "garbage");
        write("upstreams.conf", "upstream u { server 10.0.0.1:1; }\n");
        Path main = write("proxyline.conf", "stream {\n include upstreams.conf;\n include conf.d/*.conf;\n}\n");
        LoadResult r = ConfigLoader.load(main);
        assertThat(r.errors()).isEmpty();
        StreamConfig s = ((LoadResult.Loaded) r).config().stream().orElseThrow();
        assertThat(s.servers()).extracting(sv -> ((ListenAddress.Ip) sv.listens().get(0).address()).port()).containsExactly(1, 2);
        assertThat(s.servers().get(0).position().file()).endsWith("10-a.conf");
    }

    @Test
    void aGlobMatchingNothingIsFine() throws IOException {
        Path main = write("p.conf", "include sites/*.conf;\ninclude none-*.conf;\n");
        assertThat(ConfigLoader.load(main).errors()).isEmpty();
    }

    @Test
    void aMissingPlainFileIsAnErrorAtTheIncludeArgument() throws IOException {
        Path main = write("p.conf", "stream {\n    include missing.conf;\n}\n");
        assertThat(ConfigLoader.load(main).errors()).extracting(ConfigError::toString)
                .containsExactly(main + ":2:13: included file \"" + dir.resolve("missing.conf") + "\" does not exist");
    }

    @Test
    void errorsInIncludedFilesNameThatFile() throws IOException {
        Path inc = write("inc/bad.conf", "upstream u {\n  server 10.0.0.1;\n}\n");
        Path main = write("p.conf", "stream {\n include inc/bad.conf;\n bogus;\n}\n");
        assertThat(ConfigLoader.load(main).errors()).extracting(ConfigError::toString).containsExactly(
                main + ":3:2: unknown directive \"bogus\"",
                inc + ":2:10: no port in \"10.0.0.1\" in upstream \"server\"");
    }

    @Test
    void includeCyclesAreReported() throws IOException {
        write("a.conf", "include b.conf;\n");
        Path b = write("b.conf", "include a.conf;\n");
        Path main = write("p.conf", "include a.conf;\n");
        assertThat(ConfigLoader.load(main).errors()).extracting(ConfigError::toString)
                .containsExactly(b + ":1:9: include cycle: \"" + dir.resolve("a.conf") + "\" is already being read");
    }

    @Test
    void includeNeedsOneArgument() throws IOException {
        Path main = write("p.conf", "include;\ninclude a b;\n");
        assertThat(ConfigLoader.load(main).errors()).extracting(ConfigError::toString).containsExactly(
                main + ":1:1: invalid number of arguments in \"include\" directive (expected one path or glob, then \";\")",
                main + ":2:1: invalid number of arguments in \"include\" directive (expected one path or glob, then \";\")");
    }

    @Test
    void aMissingMainFileIsAnErrorNotAnException() {
        Path main = dir.resolve("nope.conf");
        assertThat(ConfigLoader.load(main).errors()).extracting(ConfigError::toString)
                .containsExactly(main + ":1:1: cannot read \"" + main + "\": no such file");
    }

    @Test
    void absoluteIncludePathsWork() throws IOException {
        Path inc = write("x/abs.conf", "worker_processes 3;\n");
        Path main = write("p.conf", "include " + inc + ";\n");
        LoadResult r = ConfigLoader.load(main);
        assertThat(r.errors()).isEmpty();
        assertThat(((LoadResult.Loaded) r).config().workers()).isEqualTo(new WorkerProcesses.Count(3));
    }

    @Test
    void syntaxTreeKeepsPositionsAndArguments() throws IOException {
        Path main = write("p.conf", "a 'b c' $d;\nblock x {\n  inner;\n}\n");
        SyntaxTree t = ConfigLoader.parseSyntax(main);
        assertThat(t.errors()).isEmpty();
        assertThat(t.directives()).hasSize(2);
        Directive a = t.directives().get(0);
        assertThat(a.args()).extracting(Argument::value).containsExactly("b c", "$d");
        assertThat(a.arg(0).quoted()).isTrue();
        assertThat(a.arg(1).hasVariables()).isTrue();
        assertThat(a.arg(1).position()).isEqualTo(new Position(main.toString(), 1, 9));
        Directive block = t.directives().get(1);
        assertThat(block.hasBlock()).isTrue();
        assertThat(block.children().get(0).position()).isEqualTo(new Position(main.toString(), 3, 3));
    }
}
