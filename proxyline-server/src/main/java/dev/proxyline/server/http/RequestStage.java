package dev.proxyline.server.http;

import io.netty.channel.ChannelHandler;

/**
 * Makes the handler that serves requests once the connection stages are done: one per HTTP/1.1
 * connection (after {@code HttpServerCodec}) or one per HTTP/2 stream (on the stream's child channel,
 * after {@code Http2StreamFrameToHttpObjectCodec}). Either way the handler reads {@code HttpRequest},
 * {@code HttpContent} and {@code LastHttpContent} and writes {@code HttpResponse} and
 * {@code HttpContent}, so one implementation serves both protocols.
 *
 * <p>The connection stages own everything before this point (PROXY header, TLS, ALPN, HTTP framing);
 * the request stage owns routing, realip, proxying and the access log.
 */
@FunctionalInterface
public interface RequestStage {
    /** A new handler for one connection (HTTP/1.1) or one stream (HTTP/2) of {@code connection}. */
    ChannelHandler newHandler(HttpConnection connection);

    /** What the HTTP/1.1 decoder keeps of a head and how many HTTP/2 streams a connection may open; nginx's defaults. */
    default HttpCodecLimits codecLimits() {
        return HttpCodecLimits.DEFAULTS;
    }
}
