package dev.proxyline.server.http.proxy;

import dev.proxyline.config.ClientConnection;
import dev.proxyline.server.http.routing.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one pass every request head gets over its fields (for {@code $request_length}), which also finds what nginx's
 * header parsing refuses field by field, before the location is known: a second Authorization field (a unique header
 * line to nginx: 400 in every location, whatever it asks of credentials), and, in HTTP/1, a head that does not fit
 * nginx's buffers (494, answered as 400 "Request Header Or Cookie Too Large"). Which server's
 * {@code error_page} answers depends on whether a Host field came before. It also drops the fields whose names nginx
 * ignores ({@code ignore_invalid_headers on}: a character other than a letter, a digit or {@code -}, or {@code _}
 * without {@code underscores_in_headers on}).
 *
 * <p>nginx reads a head into a buffer of {@code client_header_buffer_size} (1 KiB), then into at most N of SIZE
 * ({@code large_client_header_buffers N SIZE}, 4 of 8 KiB), each holding whole lines: a line that does not fit what
 * is left of the current buffer starts the next one, with its CRLF. The lines are measured as {@code NAME: VALUE} (the
 * decoder keeps no other spacing). See {@link HeadRules} for whose settings apply to which line.
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

    private static final int AUTHORIZATION_LENGTH = HttpHeaderNames.AUTHORIZATION.length();
    private static final int HOST_LENGTH = HttpHeaderNames.HOST.length();

    /** The characters nginx takes in a field name besides {@code _}: letters, digits and {@code -}. */
    private static final boolean[] NAME = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) NAME[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) NAME[c] = true;
        for (char c = '0'; c <= '9'; c++) NAME[c] = true;
        NAME['-'] = true;
    }

    private RequestHeadScan() {}

    /**
     * Sets {@code facts.requestLength} to the bytes of {@code request}'s head on the wire, and judges its fields in
     * their order (the first refusal counts) by {@code rules}; an HTTP/2 request's field lengths are its protocol's
     * business. A head that is read has the fields whose names nginx ignores removed; the first one's name is left in
     * {@code facts.droppedField}. A field line that finds no room leaves its name in {@code facts.tooLongField}.
     */
    static Verdict scan(HttpRequest request, RequestFacts facts, boolean http2, HeadRules rules) {
        long length = 16 + request.method().name().length() + request.uri().length();
        long buffers = http2 ? UNLIMITED : start(request, rules);
        HeadRules.Server server = rules.varies() ? fieldsOfTarget(request, rules) : rules.first();
        boolean targetChose = server != rules.first();
        boolean authorization = false;
        boolean host = false;
        List<CharSequence> dropped = null;
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
            if (buffers != UNLIMITED) buffers = fit(buffers, line, server.buffers());
            if (buffers == FULL) {
                verdict = host ? Verdict.LINE_TOO_LONG : Verdict.LINE_TOO_LONG_BEFORE_HOST;
                facts.tooLongField = name.toString();
            } else if (server.ignoreInvalid() && !validName(name, server.underscores())) {
                if (dropped == null) dropped = new ArrayList<>(2);
                dropped.add(name);
            } else if (name.length() == AUTHORIZATION_LENGTH
                    && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)) {
                if (authorization) {
                    verdict = host ? Verdict.DUPLICATE_AUTHORIZATION : Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST;
                }
                authorization = true;
            } else if (name.length() == HOST_LENGTH
                    && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                // The first Host chooses the server whose rules read the lines after it, unless the target did.
                if (!host && !targetChose && rules.varies()) server = rules.forHost(field.getValue().toString());
                host = true;
            }
        }
        facts.requestLength = length + 2;
        if (verdict == Verdict.READ && buffers != UNLIMITED && fit(buffers, 2, server.buffers()) == FULL) {
            // The empty line that ends the head found no room: nginx names the field being read, none.
            verdict = host ? Verdict.LINE_TOO_LONG : Verdict.LINE_TOO_LONG_BEFORE_HOST;
        }
        if (dropped != null && verdict == Verdict.READ) {
            facts.droppedField = dropped.get(0).toString();
            for (CharSequence name : dropped) request.headers().remove(name);
        }
        return verdict;
    }

    /**
     * What is logged for {@code verdict}, a refusal that {@link #scan} found: nginx's words, a too long line named by
     * its field name only (nginx writes its start, which may be credentials or cookies).
     *
     * @param tooLongField the field whose line found no room ({@code facts.tooLongField}); null when the empty line
     *     that ends the head found none
     */
    static String message(Verdict verdict, String tooLongField) {
        return switch (verdict) {
            case DUPLICATE_AUTHORIZATION, DUPLICATE_AUTHORIZATION_BEFORE_HOST -> DUPLICATE_AUTHORIZATION;
            case REQUEST_LINE_TOO_LONG -> "client sent too long URI";
            case LINE_TOO_LONG, LINE_TOO_LONG_BEFORE_HOST -> tooLongField == null ? "client sent too large request"
                    : "client sent too long header line: \"" + tooLongField + ": ...\"";
            case READ -> throw new IllegalArgumentException("a head that was read has no refusal");
        };
    }

    /** Whether nginx takes {@code name} as a field name: only letters, digits, {@code -} and (if allowed) {@code _}. */
    static boolean validName(CharSequence name, boolean underscores) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128 && NAME[c] || c == '_' && underscores) continue;
            return false;
        }
        return true;
    }

    /** The rules of the server an absolute-form target's host chooses (nginx chooses it with the request line). */
    private static HeadRules.Server fieldsOfTarget(HttpRequest request, HeadRules rules) {
        return RequestTarget.of(request.uri()) instanceof RequestTarget.Absolute absolute
                ? rules.forHost(absolute.authority()) : rules.first();
    }

    // nginx's header buffers as a head's lines fill them, held in a long (no object per request): the large buffers
    // used so far times 2^32, plus the bytes free in the current buffer.
    private static final long FULL = -1;
    private static final long UNLIMITED = -2;

    /** The buffers once the request line is in them (the default server's), or {@link #FULL} for one too long. */
    private static long start(HttpRequest request, HeadRules rules) {
        int requestLine = request.method().name().length() + request.uri().length()
                + request.protocolVersion().text().length() + 4;
        ClientConnection.HeaderBuffers first = rules.first().buffers();
        return fit(first.firstSize(), requestLine, first);
    }

    /**
     * The buffers after a line of {@code length} bytes went in, or {@link #FULL} when it fits none left of
     * {@code large}.
     */
    private static long fit(long buffers, int length, ClientConnection.HeaderBuffers large) {
        long free = buffers & 0xffffffffL;
        if (length <= free) return buffers - length;
        long used = buffers >>> 32;
        if (length > large.largeSize() || used >= large.largeNumber()) return FULL;
        return (used + 1) << 32 | (large.largeSize() - length);
    }

    /** {@code NAME: VALUE} and its CRLF, as a client writes it. */
    private static int lineLength(CharSequence name, CharSequence value) {
        return name.length() + value.length() + 4;
    }
}
