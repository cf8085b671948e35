package dev.proxyline.config;

import java.util.Objects;

/**
 * How a client's connection is read and written, as nginx's core, HTTP/2 and SSL modules tune it (and ingress-nginx
 * writes them into every configuration).
 *
 * @param headerBuffers            {@code client_header_buffer_size} and {@code large_client_header_buffers}
 * @param underscoresInHeaders     {@code underscores_in_headers} (default off): a field name with {@code _} is valid
 * @param ignoreInvalidHeaders     {@code ignore_invalid_headers} (default on): a field with an invalid name is dropped
 * @param resetTimedoutConnection  {@code reset_timedout_connection} (default off): a connection closed because the
 *                                 client timed out, or by {@code return 444}, ends with a reset
 * @param http2MaxConcurrentStreams {@code http2_max_concurrent_streams} (default 128)
 * @param sslBufferSize            {@code ssl_buffer_size} (default 16k): the most bytes of a response put in one TLS
 *                                 record
 */
public record ClientConnection(HeaderBuffers headerBuffers, boolean underscoresInHeaders, boolean ignoreInvalidHeaders,
                               boolean resetTimedoutConnection, int http2MaxConcurrentStreams, int sslBufferSize) {
    /** nginx's defaults. */
    public static final ClientConnection DEFAULTS = new ClientConnection(HeaderBuffers.DEFAULTS, false, true, false,
            128, 16384);

    public ClientConnection {
        Objects.requireNonNull(headerBuffers, "headerBuffers");
        if (http2MaxConcurrentStreams < 0) throw new IllegalArgumentException("streams " + http2MaxConcurrentStreams);
        if (sslBufferSize < 1) throw new IllegalArgumentException("sslBufferSize " + sslBufferSize);
    }

    /**
     * nginx's buffers for a request head: the first of {@code firstSize} bytes ({@code client_header_buffer_size}),
     * then at most {@code largeNumber} of {@code largeSize} ({@code large_client_header_buffers}), each holding whole
     * lines.
     */
    public record HeaderBuffers(int firstSize, int largeNumber, int largeSize) {
        /** nginx's defaults: 1k, then 4 of 8k. */
        public static final HeaderBuffers DEFAULTS = new HeaderBuffers(1024, 4, 8192);

        public HeaderBuffers {
            if (firstSize < 1 || largeNumber < 1 || largeSize < 1) {
                throw new IllegalArgumentException("header buffers " + firstSize + ", " + largeNumber + " of "
                        + largeSize);
            }
        }
    }
}
