package dev.proxyline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.Reason;

/**
 * The verdict on one {@code pp decode} line: the hex of everything a peer sent before it closed the
 * connection, decoded as a receiver would at that point.
 */
final class HexLineDecoder {
    private final ProxyHeaderDecoder decoder;

    HexLineDecoder(ProxyHeaderDecoder decoder) {
        this.decoder = decoder;
    }

    /** The header as {@link HeaderJson} renders it, or a {@link Failure}. */
    ObjectNode decode(String line) {
        byte[] received;
        try {
            received = HexInput.parse(line);
        } catch (InputException e) {
            return e.failure().toJson();
        }
        // The line is all the peer sent: a header still incomplete now will never complete.
        if (received.length == 0) {
            return Failure.of(Reason.EMPTY, "empty input: the peer closed the connection before sending any byte"
                    + " (expected a PROXY protocol header)").toJson();
        }
        DecodeResult result = decoder.decode(received);
        if (result instanceof DecodeResult.Complete complete) {
            return HeaderJson.render(complete, received);
        }
        if (result instanceof DecodeResult.Invalid invalid) {
            return new Failure(invalid.reason().label(), invalid.message()).toJson();
        }
        return Failure.of(Reason.TRUNCATED, "truncated: the peer closed the connection after " + received.length
                + " byte(s), inside the PROXY protocol header (a valid prefix; the rest of the header never came)").toJson();
    }
}
