package dev.proxyline.server.http.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * nginx's gzip filter applied to the response of one request whose location has {@code gzip on}: the head gets
 * Vary, or is rewritten for a compressed body (Content-Encoding, a weak ETag, no Content-Length), and the body is
 * compressed as it passes. Owns the body's {@link GzipStream}: {@link #close()} when the exchange ends.
 */
final class GzipResponse implements AutoCloseable {
    private final GzipPolicy policy;
    private final GzipPolicy.Request request;
    private final ByteBufAllocator alloc;
    private GzipStream stream;

    GzipResponse(GzipPolicy policy, GzipPolicy.Request request, ByteBufAllocator alloc) {
        this.policy = policy;
        this.request = request;
        this.alloc = alloc;
    }

    /**
     * Rewrites the head of a streamed response when its body is to be compressed; with {@code http2} the body needs no
     * framing of its own, an HTTP/1.1 one becomes chunked.
     *
     * @return true if the connection must close after the response: an HTTP/1.0 body that only its end delimits
     */
    boolean head(HttpResponse response, boolean http2, boolean http10) {
        if (!compresses(response)) {
            return false;
        }
        HttpHeaders headers = response.headers();
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (request.head()) {
            return false; // the head a GET would get, and no body
        }
        stream = new GzipStream(policy.level(), alloc);
        if (http2 || HttpUtil.isTransferEncodingChunked(response)) {
            return false;
        }
        if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return true;
        }
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return false;
    }

    /** {@code content} as the client gets it: compressed if the head said so (the last part ends the stream). */
    HttpContent body(HttpContent content) {
        if (stream == null) {
            return content;
        }
        HttpContent compressed = stream.next(content);
        if (compressed instanceof LastHttpContent) {
            stream = null; // it ended itself
        }
        return compressed;
    }

    /** A whole response (proxyline's own answer), compressed with its Content-Length if the rules say so. */
    FullHttpResponse whole(FullHttpResponse response) {
        if (!compresses(response)) {
            return response;
        }
        if (request.head()) {
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH); // as nginx: the GET's length is not known
            return response;
        }
        ByteBuf compressed = GzipStream.compressWhole(response.content(), policy.level(), alloc);
        FullHttpResponse replaced = response.replace(compressed);
        HttpUtil.setContentLength(replaced, compressed.readableBytes());
        return replaced;
    }

    /** The decision, with its header changes made: Vary, and for a compressed body Content-Encoding and ETag. */
    private boolean compresses(HttpResponse response) {
        GzipPolicy.Decision decision = policy.decide(request, response);
        HttpHeaders headers = response.headers();
        if (decision == GzipPolicy.Decision.VARY || (decision == GzipPolicy.Decision.COMPRESS && policy.vary())) {
            headers.add(HttpHeaderNames.VARY, "Accept-Encoding"); // spelled as nginx sends it
        }
        if (decision != GzipPolicy.Decision.COMPRESS) {
            return false;
        }
        headers.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        // A strong ETag made weak: the bytes are no longer the upstream's, as nginx says.
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
        return true;
    }

    /** Frees a body still being compressed (a response cut short). */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
