package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.ForwardedHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/** The forwarding headers' edits made in place on the received request's Netty headers. */
record NettyHeaderEdits(HttpHeaders headers) implements ForwardedHeaders.Edits {
    // Built once: a String name is hashed (and, when added, validated) anew on every call.
    private static final AsciiString[] NAMES = names();

    @Override
    public void remove(String name) {
        headers.remove(name);
    }

    @Override
    public void add(String name, String value) {
        headers.add(name, value);
    }

    @Override
    public void remove(ForwardedHeaders.Field field) {
        headers.remove(NAMES[field.ordinal()]);
    }

    @Override
    public void add(ForwardedHeaders.Field field, String value) {
        headers.add(NAMES[field.ordinal()], value);
    }

    private static AsciiString[] names() {
        ForwardedHeaders.Field[] fields = ForwardedHeaders.Field.values();
        AsciiString[] names = new AsciiString[fields.length];
        for (ForwardedHeaders.Field f : fields) names[f.ordinal()] = AsciiString.cached(f.text());
        return names;
    }
}
