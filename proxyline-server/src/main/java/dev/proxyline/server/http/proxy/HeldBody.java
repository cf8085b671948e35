package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of a request body that went upstream, kept in case an {@code error_page} sends the request to a page that
 * proxies it again: nginx resends the body it buffered, and proxyline, which streams bodies, resends this copy. It
 * shares the received buffers (no bytes are copied) and holds at most {@link #LIMIT} bytes; a longer body is let go,
 * and the page's request then has none. Made only in a location with pages, for a request with a body.
 */
final class HeldBody {
    /** The most a request holds: as much as nginx's client_body_buffer_size keeps in memory at its largest default. */
    static final int LIMIT = 16 * 1024;

    private final List<HttpContent> parts = new ArrayList<>(2);
    private long length;
    private boolean whole;
    private boolean given; // longer than the limit: released, and no more are held

    /** Keeps a copy of {@code part}, whose owner stays the caller. */
    void add(HttpContent part) {
        if (given) return;
        length += part.content().readableBytes();
        if (length > LIMIT) {
            release();
            given = true;
            return;
        }
        parts.add(part.retainedDuplicate());
        if (part instanceof LastHttpContent) whole = true;
    }

    /** The body came to its end and is held whole. */
    boolean whole() {
        return whole && !given;
    }

    /** The body's length: the page's request announces it with {@code Content-Length}, as nginx's does. */
    long length() {
        return length;
    }

    /** Copies of the held parts, in order, the last one the body's end; the copy stays held for another page. */
    List<HttpContent> replay() {
        List<HttpContent> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            HttpContent part = parts.get(i);
            // The trailers of a chunked body do not go with a Content-Length.
            out.add(i == parts.size() - 1 ? new DefaultLastHttpContent(part.content().retainedDuplicate())
                    : new DefaultHttpContent(part.content().retainedDuplicate()));
        }
        return out;
    }

    /** Lets the copy go: the request is over. */
    void release() {
        for (HttpContent part : parts) part.release();
        parts.clear();
    }
}
