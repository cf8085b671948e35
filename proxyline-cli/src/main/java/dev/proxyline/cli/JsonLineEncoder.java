package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.ProxyEncodeException;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderEncoder;
import java.util.HexFormat;

/** The verdict on one {@code pp encode} line: the header's bytes as hex, or a {@link Failure}. */
final class JsonLineEncoder {
    private final EncodeRequestParser parser;

    JsonLineEncoder(EncodeRequestParser parser) {
        this.parser = parser;
    }

    /** {@code {"ok":true,"hex":…}} or the failure. */
    ObjectNode encode(String line) {
        try {
            ProxyHeader header = parser.parse(line).toHeader();
            byte[] bytes = ProxyHeaderEncoder.encode(header);
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("ok", true);
            json.put("hex", HexFormat.of().formatHex(bytes));
            return json;
        } catch (InputException e) {
            return e.failure().toJson();
        } catch (ProxyEncodeException e) {
            return new Failure(e.reason().label(), e.getMessage()).toJson();
        } catch (IllegalArgumentException e) {
            // The header model refused a combination the request parser let through.
            return new Failure(Failure.INVALID_INPUT, e.getMessage()).toJson();
        }
    }
}
