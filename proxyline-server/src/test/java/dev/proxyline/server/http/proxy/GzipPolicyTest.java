package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.config.HttpSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** nginx's gzip rules and the stream that compresses a body. */
class GzipPolicyTest {
    private static final HttpSettings.Gzip ON = new HttpSettings.Gzip(true, Set.of("text/html", "text/css"), 20, 1,
            true, Set.of("off"), false, List.of("msie6", "^curl/7"));

    @Test
    void acceptEncodingIsReadAsNginxReadsIt() {
        assertThat(GzipPolicy.acceptsGzip("gzip")).isTrue();
        assertThat(GzipPolicy.acceptsGzip("br, GZIP;q=0.5, deflate")).isTrue();
        assertThat(GzipPolicy.acceptsGzip("x-gzip")).isTrue();
        assertThat(GzipPolicy.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(GzipPolicy.acceptsGzip("gzip; q=0.000")).isFalse();
        assertThat(GzipPolicy.acceptsGzip("deflate, br")).isFalse();
        assertThat(GzipPolicy.acceptsGzip("*")).isFalse();
        assertThat(GzipPolicy.acceptsGzip(null)).isFalse();
    }

    @Test
    void candidatesByStatusTypeLengthAndEncoding() {
        GzipPolicy policy = GzipPolicy.of(ON);
        GzipPolicy.Request accepts = policy.request(request("gzip", null), false);
        assertThat(policy.decide(accepts, response(200, "text/html; charset=utf-8", "100"))).isEqualTo(
                GzipPolicy.Decision.COMPRESS);
        assertThat(policy.decide(accepts, response(404, "TEXT/CSS", null))).isEqualTo(GzipPolicy.Decision.COMPRESS);
        assertThat(policy.decide(accepts, response(500, "text/html", "100"))).isEqualTo(GzipPolicy.Decision.AS_IS);
        assertThat(policy.decide(accepts, response(200, "image/png", "100"))).isEqualTo(GzipPolicy.Decision.AS_IS);
        assertThat(policy.decide(accepts, response(200, "text/html", "19"))).isEqualTo(GzipPolicy.Decision.AS_IS);
        assertThat(policy.decide(accepts, response(200, null, "100"))).isEqualTo(GzipPolicy.Decision.AS_IS);
        HttpResponse encoded = response(200, "text/html", "100");
        encoded.headers().set("Content-Encoding", "br");
        assertThat(policy.decide(accepts, encoded)).isEqualTo(GzipPolicy.Decision.AS_IS);
    }

    @Test
    void theRequestDecidesBetweenCompressingAndOnlyVary() {
        GzipPolicy policy = GzipPolicy.of(ON);
        HttpResponse html = response(200, "text/html", "100");
        assertThat(policy.decide(policy.request(request(null, null), false), html)).isEqualTo(GzipPolicy.Decision.VARY);
        assertThat(policy.decide(policy.request(request("gzip", "curl/7.88"), false), html))
                .isEqualTo(GzipPolicy.Decision.VARY);
        assertThat(policy.decide(policy.request(request("gzip", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"),
                false), html)).isEqualTo(GzipPolicy.Decision.VARY);
        assertThat(policy.decide(policy.request(request("gzip", "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)"),
                false), html)).isEqualTo(GzipPolicy.Decision.COMPRESS);
        DefaultHttpRequest http10 = request("gzip", null);
        http10.setProtocolVersion(HttpVersion.HTTP_1_0);
        assertThat(policy.decide(policy.request(http10, false), html)).isEqualTo(GzipPolicy.Decision.VARY);
        DefaultHttpRequest head = request("gzip", null);
        head.setMethod(HttpMethod.HEAD);
        GzipPolicy.Request headRequest = policy.request(head, false);
        assertThat(headRequest.head()).isTrue(); // the head a GET would get; the handler sends no body
        assertThat(policy.decide(headRequest, html)).isEqualTo(GzipPolicy.Decision.COMPRESS);
    }

    @Test
    void proxiedRequestsFollowGzipProxied() {
        DefaultHttpRequest viaProxy = request("gzip", null);
        viaProxy.headers().set("Via", "1.1 cdn");
        HttpResponse privateHtml = response(200, "text/html", "100");
        privateHtml.headers().set("Cache-Control", "private, max-age=0");
        GzipPolicy off = GzipPolicy.of(ON);
        assertThat(off.decide(off.request(viaProxy, false), privateHtml)).isEqualTo(GzipPolicy.Decision.VARY);
        GzipPolicy privateOnly = GzipPolicy.of(with(Set.of("private")));
        assertThat(privateOnly.decide(privateOnly.request(viaProxy, false), privateHtml))
                .isEqualTo(GzipPolicy.Decision.COMPRESS);
        assertThat(privateOnly.decide(privateOnly.request(viaProxy, false), response(200, "text/html", "100")))
                .isEqualTo(GzipPolicy.Decision.VARY);
        GzipPolicy noEtag = GzipPolicy.of(with(Set.of("no_etag", "expired")));
        HttpResponse tagged = response(200, "text/html", "100");
        tagged.headers().set("ETag", "\"x\"");
        assertThat(noEtag.decide(noEtag.request(viaProxy, false), tagged)).isEqualTo(GzipPolicy.Decision.VARY);
        tagged.headers().set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(noEtag.decide(noEtag.request(viaProxy, false), tagged)).isEqualTo(GzipPolicy.Decision.COMPRESS);
    }

    @Test
    void aStreamedBodyDecompressesToWhatWentInAndEachPartIsDecodableAtOnce() throws IOException {
        String text = "<p>proxyline keeps the client's address</p>\n".repeat(200);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        GzipStream stream = new GzipStream(6, ByteBufAllocator.DEFAULT);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        int third = bytes.length / 3;
        HttpContent first = stream.next(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes, 0, third)));
        append(gzipped, first.content());
        // Sync-flushed: what was sent so far decodes to the first part already.
        assertThat(inflatePrefix(gzipped.toByteArray(), third)).isEqualTo(text.substring(0, third));
        append(gzipped, stream.next(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes, third, third))).content());
        HttpContent last = stream.next(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes, 2 * third,
                bytes.length - 2 * third)));
        assertThat(last).isInstanceOf(LastHttpContent.class);
        append(gzipped, last.content());
        stream.close();
        assertThat(gzipped.size()).isLessThan(bytes.length / 10);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.toByteArray()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(text);
        }
    }

    @Test
    void aWholeBodyInOneGo() throws IOException {
        ByteBuf compressed = GzipStream.compressWhole(Unpooled.copiedBuffer("hello, gzip", StandardCharsets.US_ASCII), 1,
                ByteBufAllocator.DEFAULT);
        byte[] bytes = new byte[compressed.readableBytes()];
        compressed.readBytes(bytes);
        compressed.release();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, gzip");
        }
    }

    private static HttpSettings.Gzip with(Set<String> proxied) {
        return new HttpSettings.Gzip(true, ON.types(), ON.minLength(), ON.level(), true, proxied, false, List.of());
    }

    private static DefaultHttpRequest request(String acceptEncoding, String userAgent) {
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        if (acceptEncoding != null) request.headers().set("Accept-Encoding", acceptEncoding);
        if (userAgent != null) request.headers().set("User-Agent", userAgent);
        return request;
    }

    private static HttpResponse response(int status, String type, String length) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        if (type != null) response.headers().set("Content-Type", type);
        if (length != null) response.headers().set("Content-Length", length);
        return response;
    }

    private static void append(ByteArrayOutputStream out, ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        out.writeBytes(bytes);
    }

    /** The first {@code n} characters a gzip stream cut at a flush point decodes to. */
    private static String inflatePrefix(byte[] gzipped, int n) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
        }
    }
}
