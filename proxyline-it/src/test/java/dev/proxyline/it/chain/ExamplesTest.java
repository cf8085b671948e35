package dev.proxyline.it.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.ConfigLoader;
import dev.proxyline.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration in {@code examples/} loads as {@code proxyline check} loads it: no errors, and no warnings
 * but the development certificate's.
 */
class ExamplesTest {
    static Stream<Path> examples() throws IOException {
        Path examples = Path.of(System.getProperty("proxyline.root", "..")).resolve("examples");
        try (Stream<Path> files = Files.list(examples)) {
            return files.filter(file -> file.toString().endsWith(".conf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsWithoutErrorsOrWarnings(Path example) {
        LoadResult result = ConfigLoader.load(example);

        assertThat(result.errors()).as(example + " errors").isEmpty();
        // The one warning allowed: seed-chain.conf relies on the development certificate on purpose.
        assertThat(((LoadResult.Loaded) result).warnings()).as(example + " warnings").allSatisfy(warning ->
                assertThat(warning.toString()).contains("a self-signed development certificate will be used"));
    }

    @Test
    void theSplitAndTheWholeExamplesAreAllThere() throws IOException {
        assertThat(examples().map(file -> file.getFileName().toString()))
                .contains("balancer.conf", "ingress.conf", "seed-chain.conf", "stream-balancer.conf");
    }
}
