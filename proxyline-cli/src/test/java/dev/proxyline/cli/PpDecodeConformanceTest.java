package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public decode vector through {@code proxyline pp decode}, one line each and all at once. */
class PpDecodeConformanceTest {

    static Stream<ConformanceVector> decodeVectors() {
        return ConformanceVectors.decodeVectors();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeVectors")
    void decodeGivesTheExpectedVerdictAndHeader(ConformanceVector vector) {
        JsonNode result = CliRun.decode(HexFormat.of().formatHex(vector.bytes()));
        assertVerdict(vector, result);
    }

    @Test
    void allVectorsOnOneStandardInputGiveOneLineEachInOrder() {
        List<ConformanceVector> vectors = ConformanceVectors.decodeVectors().toList();
        String stdin = vectors.stream().map(v -> HexFormat.of().formatHex(v.bytes()) + "\n").collect(Collectors.joining());

        CliRun run = CliRun.run(stdin, "pp", "decode");

        assertThat(run.exitCode()).isZero();
        List<JsonNode> results = run.json();
        assertThat(results).hasSameSizeAs(vectors);
        for (int i = 0; i < vectors.size(); i++) {
            assertVerdict(vectors.get(i), results.get(i));
        }
    }

    /** ok:true and the expected header, or ok:false with a reason, whichever the vector allows. */
    private static void assertVerdict(ConformanceVector vector, JsonNode result) {
        boolean accepted = result.path("ok").asBoolean();
        if (accepted) {
            assertThat(vector.mayAccept()).as(vector.name() + " must be rejected, got " + result).isTrue();
            ExpectAssert.assertMatches(result, vector.expect().orElseThrow(), vector.name());
        } else {
            assertThat(vector.mayReject()).as(vector.name() + " must be accepted, got " + result).isTrue();
            assertThat(result.path("reason").asText()).as(vector.name() + " reason").matches("[a-z0-9_]+");
            assertThat(result.path("message").asText()).as(vector.name() + " message").isNotBlank();
        }
    }
}
