package dev.proxyline.server.http;

import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * The bounds the connection stages give the HTTP codecs of one listen socket: what the HTTP/1.1 decoder keeps of a
 * head (the request stage measures the head exactly as nginx's buffers hold it, within these bounds) and the
 * SETTINGS_MAX_CONCURRENT_STREAMS an HTTP/2 connection is sent ({@code http2_max_concurrent_streams}).
 */
public final class HttpCodecLimits {
    /** The decoder's floor for the fields, as before the limits were configurable: above nginx's default 4 of 8k. */
    private static final int HEAD_FLOOR = 65536;

    /** nginx's defaults: {@code large_client_header_buffers 4 8k}, {@code http2_max_concurrent_streams 128}. */
    public static final HttpCodecLimits DEFAULTS = new HttpCodecLimits(8192, 1024 + 4 * 8192, 128);

    private final HttpDecoderConfig decoder;
    private final int http2MaxConcurrentStreams;

    /**
     * @param maxLine                   the longest request line the HTTP/1.1 decoder reads (longer: 414)
     * @param maxHead                   the most bytes of fields the HTTP/1.1 decoder reads (more: 494)
     * @param http2MaxConcurrentStreams the streams an HTTP/2 client may have open at once
     */
    public HttpCodecLimits(int maxLine, int maxHead, int http2MaxConcurrentStreams) {
        if (maxLine < 1 || maxHead < 1 || http2MaxConcurrentStreams < 0) {
            throw new IllegalArgumentException(maxLine + ", " + maxHead + ", " + http2MaxConcurrentStreams);
        }
        // Built once: every connection's decoder of the socket reads it.
        this.decoder = new HttpDecoderConfig().setMaxInitialLineLength(maxLine)
                .setMaxHeaderSize(Math.max(HEAD_FLOOR, maxHead)).setMaxChunkSize(65536);
        this.http2MaxConcurrentStreams = http2MaxConcurrentStreams;
    }

    /** The HTTP/1.1 decoder's settings. */
    public HttpDecoderConfig decoder() {
        return decoder;
    }

    public int http2MaxConcurrentStreams() {
        return http2MaxConcurrentStreams;
    }
}
