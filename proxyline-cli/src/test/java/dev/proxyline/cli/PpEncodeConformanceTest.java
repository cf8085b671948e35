package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public encode vector through {@code proxyline pp encode}. */
class PpEncodeConformanceTest {

    static Stream<ConformanceVector> encodeVectors() {
        return ConformanceVectors.encodeVectors();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodeVectors")
    void encodeGivesTheExpectedBytes(ConformanceVector vector) {
        JsonNode result = CliRun.encode(vector.input().orElseThrow().toString());

        if (!vector.valid()) {
            assertThat(result.path("ok").asBoolean()).as(vector.name() + ": " + result).isFalse();
            assertThat(result.path("reason").asText()).isNotBlank();
            return;
        }
        assertThat(result.path("ok").asBoolean()).as(vector.name() + ": " + result).isTrue();
        String hex = result.path("hex").asText();
        if (vector.compare().equals("exact")) {
            assertThat(hex).isEqualTo(HexFormat.of().formatHex(vector.bytes()));
        } else {
            // semantic: what we sent must decode to what the vector's bytes mean.
            ExpectAssert.assertMatches(CliRun.decode(hex), vector.expect().orElseThrow(), vector.name());
        }
        // Either way the bytes must decode to the expected header.
        vector.expect().ifPresent(expect -> ExpectAssert.assertMatches(CliRun.decode(hex), expect, vector.name()));
    }
}
