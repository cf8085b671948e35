package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Locale;

/**
 * What nginx refuses in an HTTP/1 request head before anything else looks at it: a head the decoder could not read
 * (414 for a request line over large_client_header_buffers, 494 for fields over the decoder's limit, else 400), a body in a transfer coding other than chunked
 * alone (501: the proxy cannot undo it, and it would go upstream mislabelled, RFC 9112 §6.1), and an HTTP major
 * version other than 1 (505). The coding and the version are HTTP/1's questions: an HTTP/2 request comes from
 * Netty's frame codec, which has framed its body and has no such fields.
 */
final class RequestHeadChecks {
    /**
     * A refused head: the status answered and the words logged. {@code inRequestLine}: nginx refuses it before it
     * reads the Host field (its error_page is the default server's); else the Host field read so far chooses the
     * server (a head the decoder could not read holds the fields before the bad one, as nginx had read them).
     */
    record Refusal(int status, String message, boolean inRequestLine) {}

    /**
     * nginx's internal NGX_HTTP_REQUEST_HEADER_TOO_LARGE: the answer is a 400 with its own text, which only
     * {@code error_page 494} replaces.
     */
    static final int HEADER_TOO_LARGE = 494;

    private RequestHeadChecks() {}

    /** Why {@code request} is refused, or null when it may be served. */
    static Refusal refusal(HttpRequest request, boolean http2) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            // Netty judges the transfer codings once the head is read, as nginx does, but refuses them with 400 where
            // nginx answers 501 (HTTP/1.0 with any coding is 400 in both)
            if (refusedCoding(cause) && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    && !onlyChunkedTransferCoding(request)) {
                return unknownCoding(request);
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return new Refusal(HEADER_TOO_LARGE, "client sent too large request header (" + cause.getMessage() + ")",
                        false);
            }
            return new Refusal(cause instanceof TooLongHttpLineException ? 414 : 400,
                    "malformed request (" + cause.getMessage() + ")", false);
        }
        if (http2) return null;
        if (!onlyChunkedTransferCoding(request)) return unknownCoding(request);
        if (request.protocolVersion().majorVersion() != 1) {
            return new Refusal(505, "client sent unsupported HTTP version " + request.protocolVersion().text(), true);
        }
        return null;
    }

    private static Refusal unknownCoding(HttpRequest request) {
        return new Refusal(501, "client sent unknown \"Transfer-Encoding\": \""
                + String.join(", ", request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) + "\"", false);
    }

    /** The decoder's refusal of the transfer codings (its words name them), not of a line of the head. */
    private static boolean refusedCoding(Throwable cause) {
        String message = cause.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("transfer");
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
