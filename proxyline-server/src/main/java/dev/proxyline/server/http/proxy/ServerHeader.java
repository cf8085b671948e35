package dev.proxyline.server.http.proxy;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Server} and {@code Date} fields of proxyline's responses, as nginx sends its own: the product name
 * without a version, and the time to the second, formatted once per second whatever the request rate.
 */
public final class ServerHeader {
    /** The product name, in {@code Server} and where nginx names itself on its own pages. */
    public static final String NAME = "proxyline";

    /** The last second formatted; replaced whole, so a reader sees a consistent pair. */
    private record Formatted(long second, String text) {}

    private static volatile Formatted last = new Formatted(-1, "");

    private ServerHeader() {}

    /** {@code epochMillis} as an HTTP date (RFC 9110 §5.6.7), e.g. {@code Fri, 27 Nov 2026 11:20:00 GMT}. */
    static String date(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Formatted cached = last;
        if (cached.second() == second) {
            return cached.text();
        }
        String text = DateFormatter.format(new Date(second * 1000));
        last = new Formatted(second, text);
        return text;
    }
}
