package dev.proxyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.testing.ConformanceVector;
import dev.proxyline.protocol.testing.ConformanceVectors;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PpEncodeCommandTest {
    private static final String SIG = "0d0a0d0a000d0a515549540a";

    @Test
    void aV1Tcp4RequestGivesTheTcp4Line() {
        JsonNode result = CliRun.encode("{\"version\":1,\"command\":\"PROXY\",\"transport\":\"STREAM\","
                + "\"src\":\"192.0.2.1\",\"srcPort\":51234,\"dst\":\"198.51.100.7\",\"dstPort\":443}");

        assertThat(result.toString()).isEqualTo("{\"ok\":true,\"hex\":\"" + hex("PROXY TCP4 192.0.2.1 198.51.100.7 51234 443\r\n") + "\"}");
    }

    @Test
    void v1Tcp6AddressesAreWrittenPerRfc5952() {
        JsonNode result = CliRun.encode("{\"version\":1,\"src\":\"2001:DB8:0:0:0:0:0:1\",\"srcPort\":1,\"dst\":\"::FFFF:C000:0201\",\"dstPort\":2}");

        assertThat(text(result)).isEqualTo("PROXY TCP6 2001:db8::1 ::ffff:192.0.2.1 1 2\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"version\":1,\"command\":\"LOCAL\"}",
        "{\"version\":1}",
        "{\"version\":1,\"family\":\"UNKNOWN\"}",
        "{\"version\":1,\"family\":\"UNIX\",\"src\":\"/run/a.sock\",\"dst\":\"/run/b.sock\"}",
        "{\"version\":1,\"transport\":\"DGRAM\",\"src\":\"10.0.0.1\",\"srcPort\":53,\"dst\":\"10.0.0.2\",\"dstPort\":53}"})
    void v1SendsUnknownForAnythingButTcp(String request) {
        assertThat(text(CliRun.encode(request))).isEqualTo("PROXY UNKNOWN\r\n");
    }

    @Test
    void aV1FamilyTcp6PromotesIpv4AddressesToMapped() {
        JsonNode result = CliRun.encode("{\"version\":1,\"family\":\"TCP6\",\"src\":\"192.0.2.1\",\"srcPort\":1,\"dst\":\"192.0.2.2\",\"dstPort\":2}");

        assertThat(text(result)).isEqualTo("PROXY TCP6 ::ffff:192.0.2.1 ::ffff:192.0.2.2 1 2\r\n");
    }

    @Test
    void aV1LocalWithAddressesIsAProxyLineWithThemAsHaproxyHealthChecksSend() {
        JsonNode result = CliRun.encode("{\"version\":1,\"command\":\"LOCAL\",\"src\":\"127.0.0.1\",\"srcPort\":36394,"
                + "\"dst\":\"127.0.0.1\",\"dstPort\":18597}");

        assertThat(text(result)).isEqualTo("PROXY TCP4 127.0.0.1 127.0.0.1 36394 18597\r\n");
    }

    @Test
    void familyNamesMayCarryTheAfPrefix() {
        JsonNode result = CliRun.encode("{\"version\":2,\"family\":\"AF_UNIX\",\"src\":\"a\",\"dst\":\"b\"}");

        assertThat(CliRun.decode(result.path("hex").asText()).path("family").asText()).isEqualTo("UNIX");
    }

    @Test
    void abstractSocketNamesWithoutFamilyAreUnix() {
        JsonNode result = CliRun.encode("{\"version\":2,\"src\":\"@proxyline\",\"dst\":\"@backend\"}");

        assertThat(CliRun.decode(result.path("hex").asText()).path("src").asText()).isEqualTo("@proxyline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"224", "\"0xe0\"", "\"0XE0\"", "\"224\""})
    void aTlvTypeIsANumberOrAHexOrDecimalString(String type) {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"tlvs\":[{\"type\":" + type + ",\"hex\":\"01\"}]}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "20000004" + "e0000101");
    }

    @Test
    void portsGivenWithUnixPathsAreIgnored() {
        JsonNode withPorts = CliRun.encode("{\"version\":2,\"family\":\"UNIX\",\"src\":\"/a\",\"srcPort\":0,\"dst\":\"/b\",\"dstPort\":0}");
        JsonNode without = CliRun.encode("{\"version\":2,\"family\":\"UNIX\",\"src\":\"/a\",\"dst\":\"/b\"}");

        assertThat(withPorts.path("hex").asText()).isNotEmpty().isEqualTo(without.path("hex").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | 10.0.0.1 | 10.0.0.2 | 50524f585920554e4b4e4f574e0d0a",
        "2 | 10.0.0.1 | 10.0.0.2 | 0d0a0d0a000d0a515549540a21000000",
        "2 | /a       | /b       | 0d0a0d0a000d0a515549540a21000000"})
    void transportUnspecIsAnUnknownProtocolSentWithoutAddresses(int version, String src, String dst, String hex) {
        JsonNode result = CliRun.encode("{\"version\":" + version + ",\"transport\":\"UNSPEC\",\"src\":\"" + src
                + "\",\"srcPort\":1,\"dst\":\"" + dst + "\",\"dstPort\":2}");

        assertThat(result.path("hex").asText()).as(result.toString()).isEqualTo(hex);
    }

    @Test
    void v2LocalSendsNoAddressesEvenWhenGivenSome() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"src\":\"10.0.0.1\",\"srcPort\":1,\"dst\":\"10.0.0.2\",\"dstPort\":2}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "20000000");
    }

    @Test
    void v2WithoutAddressesIsProxyUnspec() {
        assertThat(CliRun.encode("{\"version\":2}").path("hex").asText()).isEqualTo(SIG + "21000000");
        assertThat(CliRun.encode("{\"version\":2,\"family\":\"UNSPEC\"}").path("hex").asText()).isEqualTo(SIG + "21000000");
    }

    @Test
    void unixPathsAreNulPaddedTo108Bytes() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"PROXY\",\"transport\":\"DGRAM\",\"family\":\"UNIX\","
                + "\"src\":\"/var/run/src.sock\",\"dst\":\"/var/run/dest.sock\"}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "213200d8"
                + pad("/var/run/src.sock") + pad("/var/run/dest.sock"));
    }

    @Test
    void twoPathsWithoutFamilyAreUnixStream() {
        JsonNode decoded = CliRun.decode(CliRun.encode("{\"version\":2,\"src\":\"/tmp/a\",\"dst\":\"/tmp/b\"}").path("hex").asText());

        assertThat(decoded.path("family").asText()).isEqualTo("UNIX");
        assertThat(decoded.path("transport").asText()).isEqualTo("STREAM");
        assertThat(decoded.path("src").asText()).isEqualTo("/tmp/a");
    }

    @Test
    void aUnixPathOf108BytesFitsAndOf109IsPathTooLong() {
        String fits = "/" + "a".repeat(107);
        String tooLong = "/" + "a".repeat(108);

        JsonNode ok = CliRun.encode("{\"version\":2,\"family\":\"UNIX\",\"src\":\"" + fits + "\",\"dst\":\"/b\"}");
        JsonNode refused = CliRun.encode("{\"version\":2,\"family\":\"UNIX\",\"src\":\"/b\",\"dst\":\"" + tooLong + "\"}");

        assertThat(CliRun.decode(ok.path("hex").asText()).path("src").asText()).isEqualTo(fits);
        assertThat(refused.path("reason").asText()).isEqualTo("path_too_long");
        assertThat(refused.path("message").asText()).contains("dst", "109");
    }

    @Test
    void crc32cGoesFirstAndIsComputed() {
        JsonNode result = CliRun.encode("{\"version\":2,\"src\":\"127.0.0.1\",\"srcPort\":80,\"dst\":\"127.0.0.2\",\"dstPort\":443,"
                + "\"crc32c\":true,\"tlvs\":[{\"type\":2,\"hex\":\"6578616d706c652e636f6d\"},{\"type\":5,\"hex\":\"69642d31\"}]}");

        JsonNode decoded = CliRun.decode(result.path("hex").asText());
        assertThat(decoded.path("ok").asBoolean()).as(decoded.toString()).isTrue();
        assertThat(decoded.path("tlvs")).extracting(tlv -> tlv.path("type").asInt()).containsExactly(3, 2, 5);
    }

    @Test
    void anExplicitCrc32cTlvIsFilledInWhereItStandsAndNotDuplicated() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"crc32c\":true,"
                + "\"tlvs\":[{\"type\":4,\"hex\":\"\"},{\"type\":3,\"hex\":\"00000000\"}]}");

        JsonNode decoded = CliRun.decode(result.path("hex").asText());
        assertThat(decoded.path("ok").asBoolean()).as(decoded.toString()).isTrue();
        assertThat(decoded.path("tlvs")).extracting(tlv -> tlv.path("type").asInt()).containsExactly(4, 3);
    }

    @Test
    void repeatMakesLongValues() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"tlvs\":[{\"type\":224,\"hex\":\"abcd\",\"repeat\":3},"
                + "{\"type\":4,\"hex\":\"ff\",\"repeat\":0}]}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "2000000c" + "e00006abcdabcdabcd" + "040000");
    }

    @Test
    void theLargestV2HeaderIsEncodedAndOneByteMoreIsHeaderTooLong() {
        String address = "\"src\":\"127.0.0.1\",\"srcPort\":80,\"dst\":\"127.0.0.2\",\"dstPort\":443";

        JsonNode largest = CliRun.encode("{\"version\":2," + address + ",\"tlvs\":[{\"type\":4,\"hex\":\"00\",\"repeat\":65520}]}");
        JsonNode tooLong = CliRun.encode("{\"version\":2," + address + ",\"tlvs\":[{\"type\":4,\"hex\":\"00\",\"repeat\":65521}]}");

        assertThat(largest.path("hex").asText()).hasSize(2 * 65551);
        assertThat(tooLong.path("reason").asText()).isEqualTo("header_too_long");
    }

    @Test
    void manyLargeTlvsAreHeaderTooLongBeforeTheyAreBuilt() {
        String tlv = "{\"type\":224,\"hex\":\"00\",\"repeat\":60000}";

        JsonNode result = CliRun.encode("{\"version\":2,\"tlvs\":[" + tlv + "," + tlv + "]}");

        assertThat(result.path("reason").asText()).isEqualTo("header_too_long");
    }

    @Test
    void aHugeRepeatIsHeaderTooLongWithoutTakingTheMemory() {
        JsonNode result = CliRun.encode("{\"version\":2,\"tlvs\":[{\"type\":224,\"hex\":\"00\",\"repeat\":9007199254740991}]}");

        assertThat(result.path("reason").asText()).isEqualTo("header_too_long");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"srcPort\":65536,\"dstPort\":1 | srcPort",
        "\"srcPort\":1,\"dstPort\":-1 | dstPort",
        "\"srcPort\":1,\"dstPort\":99999999999999999999999 | dstPort"})
    void portsOutside0To65535ArePortOutOfRange(String ports, String field) {
        JsonNode result = CliRun.encode("{\"version\":1,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\"," + ports + "}");

        assertThat(result.path("reason").asText()).isEqualTo("port_out_of_range");
        assertThat(result.path("message").asText()).startsWith(field);
    }

    @Test
    void portsZeroAnd65535AreFine() {
        JsonNode result = CliRun.encode("{\"version\":1,\"src\":\"10.0.0.1\",\"srcPort\":0,\"dst\":\"10.0.0.2\",\"dstPort\":65535}");

        assertThat(text(result)).isEqualTo("PROXY TCP4 10.0.0.1 10.0.0.2 0 65535\r\n");
    }

    @Test
    void tlvsOnV1AreNotEncodable() {
        assertThat(CliRun.encode("{\"version\":1,\"tlvs\":[{\"type\":4,\"hex\":\"\"}]}").path("reason").asText()).isEqualTo("not_encodable");
        assertThat(CliRun.encode("{\"version\":1,\"crc32c\":true}").path("reason").asText()).isEqualTo("not_encodable");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":5,\"hex\":\"00\",\"repeat\":129}  | UNIQUE_ID",
        "{\"type\":3,\"hex\":\"0000\"}                | CRC32C",
        "{\"type\":32,\"hex\":\"01000000\"}           | SSL",
        "{\"type\":32,\"hex\":\"0100000000210005aa\"} | SSL"})
    void tlvValuesTheirTypeForbidsAreTlvBadValue(String tlv, String named) {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"tlvs\":[" + tlv + "]}");

        assertThat(result.path("reason").asText()).isEqualTo("tlv_bad_value");
        assertThat(result.path("message").asText()).startsWith("tlvs[0]").contains(named);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"command\":\"LOCAL\"}                                   | version is missing",
        "{\"version\":3}                                           | version",
        "{\"version\":\"2\"}                                       | version",
        "{\"version\":2,\"command\":\"HEALTH\"}                    | command",
        "{\"version\":2,\"transport\":\"SCTP\"}                    | transport",
        "{\"version\":2,\"family\":\"IPX\"}                        | family",
        "{\"version\":2,\"srcport\":1}                             | unknown field srcport",
        "{\"version\":2,\"src\":\"10.0.0.1\",\"srcPort\":1}        | dst is missing",
        "{\"version\":2,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\"} | srcPort is missing",
        "{\"version\":2,\"srcPort\":1,\"dstPort\":2}               | srcPort and dstPort need src and dst",
        "{\"version\":2,\"src\":\"10.0.0.1\",\"srcPort\":\"80\",\"dst\":\"10.0.0.2\",\"dstPort\":1} | srcPort",
        "{\"version\":2,\"src\":\"10.0.0.1\",\"srcPort\":8.5,\"dst\":\"10.0.0.2\",\"dstPort\":1} | srcPort",
        "{\"version\":2,\"family\":\"TCP4\",\"src\":\"::1\",\"srcPort\":1,\"dst\":\"10.0.0.2\",\"dstPort\":1} | needs IPv4",
        "{\"version\":2,\"family\":\"UDP4\",\"transport\":\"STREAM\",\"src\":\"10.0.0.1\",\"srcPort\":1,\"dst\":\"10.0.0.2\",\"dstPort\":1} | implies transport DGRAM",
        "{\"version\":2,\"crc32c\":\"yes\"}                        | crc32c",
        "{\"version\":2,\"tlvs\":{}}                               | tlvs",
        "{\"version\":2,\"tlvs\":[{\"type\":256,\"hex\":\"\"}]}    | tlvs[0].type",
        "{\"version\":2,\"tlvs\":[{\"hex\":\"00\"}]}               | tlvs[0].type is missing",
        "{\"version\":2,\"tlvs\":[{\"type\":\"0x100\"}]}           | tlvs[0].type",
        "{\"version\":2,\"tlvs\":[{\"type\":\"ALPN\"}]}            | tlvs[0].type",
        "{\"version\":2,\"tlvs\":[{\"type\":1,\"hex\":\"0g\"}]}    | tlvs[0].hex is not hex",
        "{\"version\":2,\"tlvs\":[{\"type\":1,\"hex\":\"00\",\"repeat\":-1}]} | tlvs[0].repeat",
        "{\"version\":2,\"tlvs\":[{\"type\":1,\"value\":\"00\"}]}  | unknown field tlvs[0].value",
        "{\"version\":2,\"tlvs\":[{\"type\":3,\"hex\":\"00000000\"},{\"type\":3,\"hex\":\"00000000\"}]} | CRC32C"})
    void malformedRequestsAreInvalidInputNamingTheField(String request, String message) {
        JsonNode result = CliRun.encode(request);

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("reason").asText()).isEqualTo("invalid_input");
        assertThat(result.path("message").asText()).contains(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "example.com", "[::1]", "fe80::1%eth0", "010.0.0.1", "1.2.3"})
    void anythingButAStrictIpLiteralIsAnInvalidAddress(String address) {
        JsonNode result = CliRun.encode("{\"version\":2,\"src\":\"" + address + "\",\"srcPort\":1,\"dst\":\"10.0.0.2\",\"dstPort\":1}");

        assertThat(result.path("reason").asText()).isEqualTo("invalid_address");
        assertThat(result.path("message").asText()).contains("src", address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "[1,2]", "42", "{\"version\":2", "{\"version\":2} {}", "{\"version\":2,\"version\":1}"})
    void aLineThatIsNotOneJsonObjectIsInvalidJson(String line) {
        CliRun run = CliRun.run(line + "\n", "pp", "encode");

        assertThat(run.exitCode()).isZero();
        assertThat(run.single().path("reason").asText()).isEqualTo("invalid_json");
    }

    @Test
    void nullFieldsCountAsAbsent() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"LOCAL\",\"family\":null,\"src\":null,\"srcPort\":null,"
                + "\"dst\":null,\"dstPort\":null,\"transport\":null,\"crc32c\":null,\"tlvs\":null}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "20000000");
    }

    @Test
    void constantsAreCaseInsensitive() {
        JsonNode result = CliRun.encode("{\"version\":2,\"command\":\"local\"}");

        assertThat(result.path("hex").asText()).isEqualTo(SIG + "20000000");
    }

    @Test
    void everyInputLineGetsExactlyOneOutputLineInOrder() {
        CliRun run = CliRun.run("{\"version\":2,\"command\":\"LOCAL\"}\n\n{\"version\":9}\n{\"version\":1}\n", "pp", "encode");

        assertThat(run.exitCode()).isZero();
        assertThat(run.json()).extracting(json -> json.path("ok").asBoolean() ? "ok" : json.path("reason").asText())
                .containsExactly("ok", "invalid_json", "invalid_input", "ok");
    }

    static Stream<ConformanceVector> canonicalV2Headers() {
        return ConformanceVectors.decodeVectors().filter(v -> v.valid() && v.expect().isPresent()
                && v.expect().get().path("version").asInt() == 2 && v.expect().get().path("command").asText().equals("PROXY")
                && v.expect().get().path("tlvs").isArray());
    }

    /** What pp decode prints, turned into a request, gives back the very bytes: the two tools agree. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("canonicalV2Headers")
    void decodedV2HeadersReEncodeToTheSameBytes(ConformanceVector vector) {
        JsonNode expect = vector.expect().orElseThrow();
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("version", 2);
        for (String field : new String[] {"family", "transport", "src", "srcPort", "dst", "dstPort"}) {
            if (!expect.path(field).isNull()) {
                request.set(field, expect.get(field));
            }
        }
        ArrayNode tlvs = request.putArray("tlvs");
        // Only type and hex: an SSL TLV's hex already holds its sub-TLVs.
        expect.path("tlvs").forEach(tlv -> tlvs.addObject().put("type", tlv.path("type").asInt()).put("hex", tlv.path("hex").asText()));

        JsonNode result = CliRun.encode(request.toString());

        String header = HexFormat.of().formatHex(vector.bytes(), 0, expect.path("headerLength").asInt());
        assertThat(result.path("hex").asText()).as(result.toString()).isEqualTo(header);
    }

    private static String text(JsonNode result) {
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        return new String(HexFormat.of().parseHex(result.path("hex").asText()), StandardCharsets.ISO_8859_1);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String pad(String path) {
        byte[] field = new byte[108];
        byte[] bytes = path.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return HexFormat.of().formatHex(field);
    }
}
