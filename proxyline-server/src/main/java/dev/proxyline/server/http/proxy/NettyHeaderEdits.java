package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.ForwardedHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** The forwarding headers' edits made in place on the received request's Netty headers. */
record NettyHeaderEdits(HttpHeaders headers) implements ForwardedHeaders.Edits {
    @Override
    public void remove(String name) {
        headers.remove(name);
    }

    @Override
    public void add(String name, String value) {
        headers.add(name, value);
    }
}
