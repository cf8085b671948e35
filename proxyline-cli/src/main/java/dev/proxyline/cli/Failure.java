package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.Reason;
import java.util.Objects;

/**
 * Why one input line got no result: a lower-case {@code reason} label that scripts can match (the
 * codec's {@link Reason#label()} where one applies) and a message for people.
 *
 * <p>Labels of the tools' own, beyond the codec's: {@value #INVALID_HEX}, {@value #INVALID_JSON},
 * {@value #INVALID_INPUT} and {@value #INVALID_ADDRESS}.
 */
public record Failure(String reason, String message) {
    /** A decode line that is not an even number of hex digits. */
    public static final String INVALID_HEX = "invalid_hex";
    /** An encode line that is not one JSON object. */
    public static final String INVALID_JSON = "invalid_json";
    /** An encode request with a missing, unknown or ill-typed field, or values that do not go together. */
    public static final String INVALID_INPUT = "invalid_input";
    /** An encode request whose src or dst is not an IP literal (and not an AF_UNIX path either). */
    public static final String INVALID_ADDRESS = "invalid_address";

    public Failure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** A failure labelled with one of the codec's reasons. */
    public static Failure of(Reason reason, String message) {
        return new Failure(reason.label(), message);
    }

    /** {@code {"ok":false,"reason":…,"message":…}}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("ok", false);
        json.put("reason", reason);
        json.put("message", message);
        return json;
    }
}
