package dev.proxyline.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxyline.protocol.Bytes;
import dev.proxyline.protocol.Command;
import dev.proxyline.protocol.ProtocolVersion;
import dev.proxyline.protocol.Reason;
import dev.proxyline.protocol.Tlv;
import dev.proxyline.protocol.TransportProtocol;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one {@code pp encode} line, a JSON object in the form of the vectors' {@code input}:
 *
 * <pre>{@code
 * {"version": 1|2, "command": "PROXY"|"LOCAL", "family": "TCP4"|"UDP4"|"TCP6"|"UDP6"|"UNIX"|"UNSPEC"|"UNKNOWN",
 *  "transport": "STREAM"|"DGRAM"|"UNSPEC", "src": "…", "srcPort": 0-65535, "dst": "…", "dstPort": 0-65535,
 *  "crc32c": true, "tlvs": [{"type": 0-255, "hex": "…", "repeat": 1}]}
 * }</pre>
 *
 * Only {@code version} is required; a null field counts as absent. Unknown fields are refused
 * rather than ignored, so that a typo ({@code "srcport"}) is not silently dropped from the header.
 */
final class EncodeRequestParser {
    private static final Set<String> FIELDS =
            Set.of("version", "command", "family", "transport", "src", "srcPort", "dst", "dstPort", "crc32c", "tlvs");
    private static final Set<String> TLV_FIELDS = Set.of("type", "hex", "repeat");
    private static final BigInteger MAX_PORT = BigInteger.valueOf(0xFFFF);

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * The request on {@code line}.
     *
     * @throws InputException if the line is not a JSON object of that form
     */
    EncodeRequest parse(String line) {
        if (line.isBlank()) {
            throw new InputException(Failure.INVALID_JSON, "empty line (expected one JSON object, such as "
                    + "{\"version\":2,\"command\":\"LOCAL\"})");
        }
        JsonNode root;
        try {
            root = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException(Failure.INVALID_JSON, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at column " + e.getLocation().getColumnNr() : ""));
        }
        if (root == null || !root.isObject()) {
            throw new InputException(Failure.INVALID_JSON, "expected a JSON object, got " + describe(root));
        }
        requireKnownFields(root, FIELDS, "");
        ProtocolVersion version = version(root.get("version"));
        Optional<JsonNode> tlvs = present(root, "tlvs");
        boolean crc32c = bool(root, "crc32c");
        if (version == ProtocolVersion.V1 && (crc32c || tlvs.map(t -> t.isArray() && !t.isEmpty()).orElse(false))) {
            throw new InputException(Reason.NOT_ENCODABLE.label(),
                    "a v1 header cannot carry TLVs or a CRC32C; use version 2 to include them");
        }
        return new EncodeRequest(
                version,
                command(root),
                present(root, "family").map(node -> constant(node, "family", EncodeRequest.RequestFamily.class)),
                present(root, "transport").map(node -> constant(node, "transport", TransportProtocol.class)),
                present(root, "src").map(node -> text(node, "src")),
                present(root, "srcPort").map(node -> port(node, "srcPort")),
                present(root, "dst").map(node -> text(node, "dst")),
                present(root, "dstPort").map(node -> port(node, "dstPort")),
                crc32c,
                tlvs.map(EncodeRequestParser::tlvs).orElse(List.of()));
    }

    private static ProtocolVersion version(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid("version is missing (expected 1 or 2)");
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            switch (node.intValue()) {
                case 1:
                    return ProtocolVersion.V1;
                case 2:
                    return ProtocolVersion.V2;
                default:
                    break;
            }
        }
        throw invalid("version is " + node + " (expected 1 or 2)");
    }

    private static Command command(JsonNode root) {
        return present(root, "command").map(node -> constant(node, "command", Command.class)).orElse(Command.PROXY);
    }

    private static boolean bool(JsonNode root, String field) {
        Optional<JsonNode> node = present(root, field);
        if (node.isPresent() && !node.get().isBoolean()) {
            throw invalid(field + " is " + node.get() + " (expected true or false)");
        }
        return node.map(JsonNode::booleanValue).orElse(false);
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw invalid(field + " is " + describe(node) + " (expected a string)");
        }
        return node.textValue();
    }

    /** A constant of {@code type} by name, case-insensitively and with or without the C prefix {@code AF_}. */
    private static <E extends Enum<E>> E constant(JsonNode node, String field, Class<E> type) {
        String name = text(node, field).toUpperCase(Locale.ROOT);
        if (name.startsWith("AF_")) {
            name = name.substring(3);
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw invalid(field + " is " + node + " (expected one of " + String.join(", ", names) + ")");
    }

    private static int port(JsonNode node, String field) {
        if (!node.isIntegralNumber()) {
            throw invalid(field + " is " + describe(node) + " (expected an integer 0-65535)");
        }
        BigInteger port = node.bigIntegerValue();
        if (port.signum() < 0 || port.compareTo(MAX_PORT) > 0) {
            throw new InputException(Reason.PORT_OUT_OF_RANGE.label(), field + " is " + port + " (expected 0-65535)");
        }
        return port.intValue();
    }

    private static List<Tlv> tlvs(JsonNode node) {
        if (!node.isArray()) {
            throw invalid("tlvs is " + describe(node) + " (expected an array of {\"type\", \"hex\", \"repeat\"} objects)");
        }
        List<Tlv> tlvs = new ArrayList<>(node.size());
        long total = 0;
        for (int i = 0; i < node.size(); i++) {
            Tlv tlv = tlv(node.get(i), "tlvs[" + i + "]");
            // One checksum covers the whole header; receivers refuse a second one.
            if (tlv instanceof Tlv.Crc32c && tlvs.stream().anyMatch(Tlv.Crc32c.class::isInstance)) {
                throw invalid("tlvs[" + i + "] is a second CRC32C TLV (type 3); a header carries at most one");
            }
            total += tlv.encodedLength();
            // Checked as we go, so that a request for many huge TLVs fails before it takes the memory.
            if (total > 0xFFFF) {
                throw new InputException(Reason.HEADER_TOO_LONG.label(), "the TLVs up to tlvs[" + i + "] take " + total
                        + " bytes; a v2 header holds at most 65535 after its 16 fixed bytes, addresses included");
            }
            tlvs.add(tlv);
        }
        return tlvs;
    }

    private static Tlv tlv(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " is " + describe(node) + " (expected an object with type, hex and optionally repeat)");
        }
        requireKnownFields(node, TLV_FIELDS, where + ".");
        int type = tlvType(node.get("type"), where + ".type");
        byte[] unit = present(node, "hex").map(hex -> hex(hex, where + ".hex")).orElse(new byte[0]);
        long repeat = present(node, "repeat").map(r -> repeat(r, where + ".repeat")).orElse(1L);
        long length = unit.length * repeat;
        if (length > Tlv.MAX_VALUE_LENGTH) {
            throw new InputException(Reason.HEADER_TOO_LONG.label(), where + " value is " + length
                    + " bytes (expected at most 65535, what a TLV length field holds)");
        }
        byte[] value = new byte[(int) length];
        for (int at = 0; at < length; at += unit.length) {
            System.arraycopy(unit, 0, value, at, unit.length);
        }
        try {
            return Tlv.of(type, Bytes.of(value));
        } catch (IllegalArgumentException e) {
            throw new InputException(Reason.TLV_BAD_VALUE.label(), where + ": " + e.getMessage());
        }
    }

    /** 0-255, as a number or as text in hex ({@code "0x20"}, the way the specification lists types) or decimal. */
    private static int tlvType(JsonNode node, String where) {
        int type = -1;
        if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
            type = node.intValue();
        } else if (node != null && node.isTextual()) {
            String text = node.textValue();
            boolean hex = text.startsWith("0x") || text.startsWith("0X");
            String digits = hex ? text.substring(2) : text;
            if (!digits.isEmpty() && digits.length() <= 3
                    && digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, hex ? 16 : 10) >= 0)) {
                type = Integer.parseInt(digits, hex ? 16 : 10);
            }
        }
        if (type < 0 || type > 0xFF) {
            throw invalid(where + " is " + (node == null ? "missing" : node.toString())
                    + " (expected 0-255, or a hex string such as \"0x20\")");
        }
        return type;
    }

    private static byte[] hex(JsonNode node, String where) {
        String text = text(node, where);
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw invalid(where + " is not hex: " + e.getMessage() + " (expected an even number of digits 0-9, a-f)");
        }
    }

    private static long repeat(JsonNode node, String where) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw invalid(where + " is " + node + " (expected a whole number, 0 or more)");
        }
        // Anything past 65535 repetitions is too long anyway; capping keeps the product from overflowing.
        return Math.min(node.longValue(), Tlv.MAX_VALUE_LENGTH + 1L);
    }

    private static void requireKnownFields(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("unknown field " + prefix + name + " (expected "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** The field's value, unless it is absent or JSON null. */
    private static Optional<JsonNode> present(JsonNode object, String field) {
        return Optional.ofNullable(object.get(field)).filter(node -> !node.isNull());
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
    }

    private static InputException invalid(String message) {
        return new InputException(Failure.INVALID_INPUT, message);
    }
}
