package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proxyline.protocol.testing.ConformanceVectors;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PpDecodeCommandTest {
    private static final String V1_TCP4 = hex("PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n");
    private static final String V2_LOCAL = "0d0a0d0a000d0a515549540a20000000";

    @Test
    void anEmptyLineIsAConnectionClosedBeforeAnyByte() {
        JsonNode result = CliRun.decode("");

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("reason").asText()).isEqualTo("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"50", "50524f5859", "50524f5859205443503420", "0d0a0d0a000d0a515549540a", "0d0a0d0a000d0a515549540a211100"})
    void aLineEndingInsideAHeaderIsTruncated(String prefix) {
        JsonNode result = CliRun.decode(prefix);

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("reason").asText()).isEqualTo("truncated");
        assertThat(result.path("message").asText()).contains(prefix.length() / 2 + " byte");
    }

    @Test
    void aV2HeaderWhoseLengthRunsPastTheInputIsTruncated() {
        JsonNode result = CliRun.decode("0d0a0d0a000d0a515549540a2111000c7f000001");

        assertThat(result.path("reason").asText()).isEqualTo("truncated");
    }

    @Test
    void aNonHexCharacterIsReportedWithItsColumn() {
        JsonNode result = CliRun.decode("50524g");

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("reason").asText()).isEqualTo("invalid_hex");
        assertThat(result.path("message").asText()).contains("'g'", "column 6");
    }

    @Test
    void anOddNumberOfHexDigitsIsInvalidHex() {
        JsonNode result = CliRun.decode("50524f5");

        assertThat(result.path("reason").asText()).isEqualTo("invalid_hex");
        assertThat(result.path("message").asText()).contains("7 digits");
    }

    @Test
    void nonAsciiDigitsAreNotHex() {
        // U+0661 ARABIC-INDIC DIGIT ONE: Character.digit accepts it.
        JsonNode result = CliRun.decode("5\u0661");

        assertThat(result.path("reason").asText()).isEqualTo("invalid_hex");
    }

    @Test
    void upperCaseHexAndSpacesBetweenBytesAreAccepted() {
        JsonNode result = CliRun.decode(" 0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A 20 00 00 00 ");

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("command").asText()).isEqualTo("LOCAL");
    }

    @Test
    void crlfLineEndsOnStandardInputAreNotPartOfTheHex() {
        CliRun run = CliRun.run(V1_TCP4 + "\r\n" + V2_LOCAL + "\r\n", "pp", "decode");

        assertThat(run.json()).extracting(json -> json.path("ok").asBoolean()).containsExactly(true, true);
    }

    @Test
    void aLastLineWithoutNewlineIsStillDecoded() {
        CliRun run = CliRun.run(V1_TCP4 + "\n" + V2_LOCAL, "pp", "decode");

        assertThat(run.json()).hasSize(2);
    }

    @Test
    void everyInputLineGetsExactlyOneOutputLineInOrder() {
        CliRun run = CliRun.run(V1_TCP4 + "\n\nzz\n" + V2_LOCAL + "\n50\n", "pp", "decode");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).extracting(json -> json.path("ok").asBoolean() ? "ok" : json.path("reason").asText())
                .containsExactly("ok", "empty", "invalid_hex", "ok", "truncated");
    }

    @Test
    void aV1HeaderIsRenderedWithItsAddressesAndTheBytesAfterIt() {
        JsonNode result = CliRun.decode(V1_TCP4 + hex("GET /"));

        assertThat(result.toString()).isEqualTo("{\"ok\":true,\"version\":1,\"command\":\"PROXY\",\"family\":\"TCP4\","
                + "\"transport\":\"STREAM\",\"src\":\"192.0.2.1\",\"srcPort\":51234,\"dst\":\"198.51.100.7\",\"dstPort\":443,"
                + "\"useConnectionAddresses\":false,\"tlvs\":[],\"headerLength\":45,\"trailingPayloadHex\":\"474554202f\"}");
    }

    @Test
    void aRejectedHeaderGivesTheCodecsReasonLabelAndMessage() {
        JsonNode result = CliRun.decode(hex("PROXY TCP4 192.0.2.1 198.51.100.7 080 443\r\n"));

        assertThat(result.toString()).startsWith("{\"ok\":false,\"reason\":\"v1_bad_port\",\"message\":\"");
        assertThat(result.path("message").asText()).contains("\"080\"", "offset 34");
    }

    @Test
    void v2HeadersUpToTheProtocolMaximumAreDecodedByDefault() {
        // 16 + 12 address bytes + a NOOP of 65520: a 65551-byte header, the largest there is.
        String noop = "04fff0" + "00".repeat(0xfff0);
        String header = "0d0a0d0a000d0a515549540a2111ffff" + "7f0000017f000002005001bb" + noop;

        JsonNode result = CliRun.decode(header + "ab");

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("headerLength").asInt()).isEqualTo(65551);
        assertThat(result.path("trailingPayloadHex").asText()).isEqualTo("ab");
    }

    @Test
    void maxHeaderLengthMakesLongerV2HeadersV2TooLong() {
        // 16 + 12 address bytes + a NOOP of 100: 131 bytes.
        String header = "0d0a0d0a000d0a515549540a21110073" + "7f0000017f000002005001bb" + "040064" + "00".repeat(100);

        JsonNode fits = CliRun.run(header + "\n", "pp", "decode", "--max-header-length", "131").single();
        JsonNode refused = CliRun.run(header + "\n", "pp", "decode", "--max-header-length=130").single();

        assertThat(fits.path("ok").asBoolean()).isTrue();
        assertThat(fits.path("headerLength").asInt()).isEqualTo(131);
        assertThat(refused.path("reason").asText()).isEqualTo("v2_too_long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"106", "65552", "0", "-1", "lots"})
    void aMaxHeaderLengthOutsideTheProtocolsRangeIsAUsageError(String value) {
        CliRun run = CliRun.run(V1_TCP4 + "\n", "pp", "decode", "--max-header-length", value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--max-header-length");
    }

    @Test
    void noInputGivesNoOutputAndExitZero() {
        CliRun run = CliRun.run("", "pp", "decode");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void everyCapturedPeerHeaderIsDecoded() {
        List<ConformanceVectors.Capture> captures = ConformanceVectors.captures();
        StringBuilder stdin = new StringBuilder();
        captures.forEach(capture -> stdin.append(HexFormat.of().formatHex(capture.bytes())).append('\n'));

        List<JsonNode> results = CliRun.run(stdin.toString(), "pp", "decode").json();

        assertThat(results).hasSameSizeAs(captures);
        for (int i = 0; i < captures.size(); i++) {
            assertThat(results.get(i).path("ok").asBoolean()).as(captures.get(i).name() + ": " + results.get(i)).isTrue();
        }
    }

    /** SPEC L282-284: no CRLF in the first 107 bytes makes the line invalid. */
    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY UNKNOWN                                                                                              \r\n",
        "PROXY TCP6 0000:0000:0000:0000:0000:ffff:255.255.255.255 0000:0000:0000:0000:0000:ffff:255.255.255.255 65535 65535\r\n"})
    void aV1LineLongerThan107BytesIsV1TooLong(String line) {
        assertThat(line.length()).isGreaterThan(107);

        JsonNode result = CliRun.decode(hex(line));

        assertThat(result.path("reason").asText()).isEqualTo("v1_too_long");
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
