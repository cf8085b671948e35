package dev.proxyline.server.http.connection;

/**
 * Pipeline names of the handlers the connection stages add after the PROXY stage
 * ({@link dev.proxyline.protocol.netty.HandlerNames#PROXY_RECEIVE}); the only place they are spelled.
 */
public final class ConnectionStageNames {
    /** Reads the ClientHello's SNI name and replaces itself with {@link #TLS}. */
    public static final String TLS_SNI = "tls-sni";
    /** Netty's {@code SslHandler}, for the context the SNI name chose. */
    public static final String TLS = "tls";
    /** Waits for the handshake's outcome, then installs the HTTP stage that ALPN chose, and leaves. */
    public static final String TLS_HANDSHAKE = "tls-handshake";
    /** On an {@code http2} socket without {@code ssl}: tells the HTTP/2 preface from HTTP/1.1, and leaves. */
    public static final String H2C_PREFACE = "h2c-preface";
    /** {@code HttpServerCodec}. */
    public static final String HTTP1_CODEC = "http1-codec";
    /** {@code Http2FrameCodec}. */
    public static final String HTTP2_FRAME_CODEC = "http2-frame-codec";
    /** {@code Http2MultiplexHandler}: a child channel per stream. */
    public static final String HTTP2_MULTIPLEX = "http2-multiplex";
    /** Sends GOAWAY and closes after the open streams when the server drains. */
    public static final String HTTP2_DRAIN = "http2-drain";
    /** {@code Http2StreamFrameToHttpObjectCodec}, in a stream's child channel. */
    public static final String HTTP2_STREAM_CODEC = "http2-stream-codec";
    /** The request stage's handler: last, on the connection (HTTP/1.1) or on each stream (HTTP/2). */
    public static final String REQUEST = "http-request";

    private ConnectionStageNames() {
    }
}
