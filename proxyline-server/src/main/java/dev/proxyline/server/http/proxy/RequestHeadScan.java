package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * The one pass every request head gets over its fields (for {@code $request_length}), which also finds what nginx's
 * header parsing refuses field by field: a second Authorization field, answered 400 in every location (nginx's
 * Authorization is a unique header line), before the location is known and whatever it asks of credentials.
 */
final class RequestHeadScan {
    /** What the pass found beyond the head's size. */
    enum Verdict {
        /** Nothing the header parsing refuses. */
        READ,
        /** Authorization came twice, after a Host field: nginx had chosen the server by that Host. */
        DUPLICATE_AUTHORIZATION,
        /** Authorization came twice before any Host field: nginx had not chosen by Host yet. */
        DUPLICATE_AUTHORIZATION_BEFORE_HOST
    }

    /**
     * nginx's words (at info); the values, which nginx writes too, stay out of the log: they are credentials.
     */
    static final String DUPLICATE_AUTHORIZATION = "client sent duplicate header line: \"Authorization\"";

    private static final int AUTHORIZATION_LENGTH = HttpHeaderNames.AUTHORIZATION.length();
    private static final int HOST_LENGTH = HttpHeaderNames.HOST.length();

    private RequestHeadScan() {}

    /** Sets {@code facts.requestLength} to the bytes of {@code request}'s head on the wire, and judges its fields. */
    static Verdict scan(HttpRequest request, RequestFacts facts) {
        long length = 16 + request.method().name().length() + request.uri().length();
        boolean authorization = false;
        boolean host = false;
        Verdict verdict = Verdict.READ;
        // As CharSequences: the String view converts each decoded name. Names are compared by length first, so that
        // most fields cost one comparison of ints.
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
             it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            length += name.length() + field.getValue().length() + 4;
            if (name.length() == AUTHORIZATION_LENGTH && verdict == Verdict.READ
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
        return verdict;
    }
}
