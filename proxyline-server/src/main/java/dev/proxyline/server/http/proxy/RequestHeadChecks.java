package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import java.util.Iterator;

/**
 * What nginx refuses in an HTTP/1 request head before anything else looks at it: a head the decoder could not read
 * (414 for a request line over large_client_header_buffers, else 400), a body in a transfer coding other than chunked
 * alone (501: the proxy cannot undo it, and it would go upstream mislabelled, RFC 9112 §6.1), and an HTTP major
 * version other than 1 (505). The coding and the version are HTTP/1's questions: an HTTP/2 request comes from
 * Netty's frame codec, which has framed its body and has no such fields.
 */
final class RequestHeadChecks {
    /** A refused head: the status answered and the words logged. */
    record Refusal(int status, String message) {}

    private RequestHeadChecks() {}

    /** Why {@code request} is refused, or null when it may be served. */
    static Refusal refusal(HttpRequest request, boolean http2) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            return new Refusal(cause instanceof TooLongHttpLineException ? 414 : 400,
                    "malformed request (" + cause.getMessage() + ")");
        }
        if (http2) return null;
        if (!onlyChunkedTransferCoding(request)) {
            return new Refusal(501, "client sent unknown \"Transfer-Encoding\": \""
                    + String.join(", ", request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) + "\"");
        }
        if (request.protocolVersion().majorVersion() != 1) {
            return new Refusal(505, "client sent unsupported HTTP version " + request.protocolVersion().text());
        }
        return null;
    }

    /** No Transfer-Encoding, or exactly one that is {@code chunked}: the only coding a request may arrive in. */
    private static boolean onlyChunkedTransferCoding(HttpRequest request) {
        Iterator<? extends CharSequence> codings =
                request.headers().valueCharSequenceIterator(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.hasNext()) return true;
        CharSequence coding = codings.next();
        return !codings.hasNext()
                && AsciiString.contentEqualsIgnoreCase(AsciiString.trim(coding), HttpHeaderValues.CHUNKED);
    }
}
