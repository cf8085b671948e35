package dev.proxyline.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code shared/conformance/pp-vectors-public.json}; entry 0 of that file documents
 * every field.
 */
public record ConformanceVector(
        String name,
        String category,
        boolean encode,
        byte[] bytes,
        boolean valid,
        boolean eof,
        boolean expectPending,
        List<String> acceptableOutcomes,
        List<byte[]> chunks,
        Optional<JsonNode> expect,
        Optional<JsonNode> input,
        String compare,
        JsonNode raw) {

    static ConformanceVector of(JsonNode node) {
        HexFormat hex = HexFormat.of();
        List<String> outcomes = new ArrayList<>();
        node.path("acceptableOutcomes").forEach(outcome -> outcomes.add(outcome.asText()));
        List<byte[]> chunks = new ArrayList<>();
        node.path("chunks").forEach(chunk -> chunks.add(hex.parseHex(chunk.asText())));
        return new ConformanceVector(
                node.path("name").asText(),
                node.path("category").asText(),
                "encode".equals(node.path("direction").asText()),
                hex.parseHex(node.path("hex").asText()),
                node.path("valid").asBoolean(),
                node.path("eof").asBoolean(true),
                node.path("expectPending").asBoolean(false),
                List.copyOf(outcomes),
                List.copyOf(chunks),
                Optional.ofNullable(node.get("expect")).filter(n -> !n.isNull()),
                Optional.ofNullable(node.get("input")).filter(n -> !n.isNull()),
                node.path("compare").asText("exact"),
                node);
    }

    /** True when rejecting this input is an acceptable outcome. */
    public boolean mayReject() {
        return !valid || acceptableOutcomes.contains("reject");
    }

    /** True when accepting this input is an acceptable outcome. */
    public boolean mayAccept() {
        return valid || acceptableOutcomes.contains("accept");
    }

    @Override
    public String toString() {
        return name;
    }
}
