package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** What an upstream connection reports to the exchange that uses it; each call passes ownership of its message. */
interface UpstreamEvents {
    void response(HttpResponse response);

    void content(HttpContent content);

    /** Raw bytes after a {@code 101 Switching Protocols}. */
    void tunnel(ByteBuf bytes);

    /** The upstream's current read burst ended: what it produced for the client can be flushed. */
    void readComplete();

    void writable();

    void closed(String why);
}
