package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * The one pass every request head gets over its fields (for {@code $request_length}), which also finds what nginx's
 * header parsing refuses field by field, before the location is known: a second Authorization field (a unique header
 * line to nginx: 400 in every location, whatever it asks of credentials), and, in HTTP/1, a head that does not fit
 * nginx's default buffers (494, answered as 400 "Request Header Or Cookie Too Large"). Which server's
 * {@code error_page} answers depends on whether a Host field came before.
 *
 * <p>nginx reads a head into a buffer of 1 KiB ({@code client_header_buffer_size}), then into at most 4 of 8 KiB
 * ({@code large_client_header_buffers 4 8k}), each holding whole lines: a line that does not fit what is left of the
 * current buffer starts the next one, with its CRLF. The lines are measured as {@code NAME: VALUE} (the decoder keeps
 * no other spacing).
 */
final class RequestHeadScan {
    /** What the pass found beyond the head's size. */
    enum Verdict {
        /** Nothing the header parsing refuses. */
        READ(0, false),
        /** A request line longer than a large buffer, CRLF included: nginx reads it before any field. */
        REQUEST_LINE_TOO_LONG(414, false),
        /** Authorization came twice, after a Host field: nginx had chosen the server by that Host. */
        DUPLICATE_AUTHORIZATION(400, true),
        /** Authorization came twice before any Host field: nginx had not chosen by Host yet. */
        DUPLICATE_AUTHORIZATION_BEFORE_HOST(400, false),
        /** A field line that fits no buffer, or the buffers left, after a Host field. */
        LINE_TOO_LONG(RequestHeadChecks.HEADER_TOO_LARGE, true),
        /** A field line that fits no buffer, or the buffers left, before any Host field. */
        LINE_TOO_LONG_BEFORE_HOST(RequestHeadChecks.HEADER_TOO_LARGE, false);

        /** The status nginx refuses the head with (494: its internal one, sent as 400); 0 for none. */
        final int status;
        /** Whether nginx had read a Host field, which chose the server whose error_page answers. */
        final boolean afterHost;

        Verdict(int status, boolean afterHost) {
            this.status = status;
            this.afterHost = afterHost;
        }
    }

    /**
     * nginx's words (at info); the values, which nginx writes too, stay out of the log: they are credentials.
     */
    static final String DUPLICATE_AUTHORIZATION = "client sent duplicate header line: \"Authorization\"";

    /** A field line's longest, CRLF included: nginx's default large_client_header_buffers size. */
    static final int MAX_LINE = 8192;
    private static final int LARGE_BUFFERS = 4;
    private static final int FIRST_BUFFER = 1024;

    private static final int AUTHORIZATION_LENGTH = HttpHeaderNames.AUTHORIZATION.length();
    private static final int HOST_LENGTH = HttpHeaderNames.HOST.length();

    private RequestHeadScan() {}

    /**
     * Sets {@code facts.requestLength} to the bytes of {@code request}'s head on the wire, and judges its fields in
     * their order (the first refusal counts); an HTTP/2 request's field lengths are its protocol's business.
     */
    static Verdict scan(HttpRequest request, RequestFacts facts, boolean http2) {
        long length = 16 + request.method().name().length() + request.uri().length();
        int buffers = http2 ? UNLIMITED : start(request);
        boolean authorization = false;
        boolean host = false;
        Verdict verdict = buffers == FULL ? Verdict.REQUEST_LINE_TOO_LONG : Verdict.READ;
        // As CharSequences: the String view converts each decoded name. Names are compared by length first, so that
        // most fields cost a comparison of ints or two.
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
             it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            int line = lineLength(name, field.getValue());
            length += line;
            if (verdict != Verdict.READ) continue;
            if (buffers != UNLIMITED) buffers = fit(buffers, line);
            if (buffers == FULL) {
                verdict = host ? Verdict.LINE_TOO_LONG : Verdict.LINE_TOO_LONG_BEFORE_HOST;
            } else if (name.length() == AUTHORIZATION_LENGTH
                    && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)) {
                if (authorization) {
                    verdict = host ? Verdict.DUPLICATE_AUTHORIZATION : Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST;
                }
                authorization = true;
            } else if (name.length() == HOST_LENGTH
                    && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                host = true;
            }
        }
        facts.requestLength = length + 2;
        if (verdict == Verdict.READ && buffers != UNLIMITED && fit(buffers, 2) == FULL) {
            // The empty line that ends the head found no room: nginx names the field being read, none.
            verdict = host ? Verdict.LINE_TOO_LONG : Verdict.LINE_TOO_LONG_BEFORE_HOST;
        }
        return verdict;
    }

    /**
     * What is logged for {@code verdict}, a refusal of {@code request}: nginx's words, a too long line named by its
     * field name only (nginx writes its start, which may be credentials or cookies).
     */
    static String message(Verdict verdict, HttpRequest request) {
        if (verdict == Verdict.DUPLICATE_AUTHORIZATION || verdict == Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST) {
            return DUPLICATE_AUTHORIZATION;
        }
        if (verdict == Verdict.REQUEST_LINE_TOO_LONG) return "client sent too long URI";
        int buffers = start(request);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
             it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            buffers = fit(buffers, lineLength(field.getKey(), field.getValue()));
            if (buffers == FULL) {
                return "client sent too long header line: \"" + field.getKey() + ": ...\"";
            }
        }
        return "client sent too large request";
    }

    // nginx's header buffers as a head's lines fill them, held in an int (no object per request): the large buffers
    // used so far times 65536, plus the bytes free in the current buffer.
    private static final int FULL = -1;
    private static final int UNLIMITED = -2;

    /** The buffers once the request line is in them, or {@link #FULL} for one longer than a large buffer. */
    private static int start(HttpRequest request) {
        int requestLine = request.method().name().length() + request.uri().length()
                + request.protocolVersion().text().length() + 4;
        return fit(FIRST_BUFFER, requestLine);
    }

    /** The buffers after a line of {@code length} bytes went in, or {@link #FULL} when it fits none left. */
    private static int fit(int buffers, int length) {
        int free = buffers & 0xffff;
        if (length <= free) return buffers - length;
        int used = buffers >>> 16;
        if (length > MAX_LINE || used == LARGE_BUFFERS) return FULL;
        return (used + 1) << 16 | (MAX_LINE - length);
    }

    /** {@code NAME: VALUE} and its CRLF, as a client writes it. */
    private static int lineLength(CharSequence name, CharSequence value) {
        return name.length() + value.length() + 4;
    }
}
