package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadChecksTest {
    @Test
    void aReadableHttp11HeadPasses() {
        HttpRequest request = get(HttpVersion.HTTP_1_1);
        request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "Chunked");
        assertThat(RequestHeadChecks.refusal(request, false)).isNull();
    }

    @Test
    void aRequestLineTooLongIs414FieldsTooLargeNginxs494AndOtherDecoderFailures400() {
        HttpRequest tooLong = get(HttpVersion.HTTP_1_1);
        tooLong.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line too long")));
        assertThat(RequestHeadChecks.refusal(tooLong, false))
                .isEqualTo(new RequestHeadChecks.Refusal(414, "malformed request (line too long)", false));
        HttpRequest tooLarge = get(HttpVersion.HTTP_1_1);
        tooLarge.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("header too large")));
        assertThat(RequestHeadChecks.refusal(tooLarge, false).status()).isEqualTo(RequestHeadChecks.HEADER_TOO_LARGE);
        HttpRequest broken = get(HttpVersion.HTTP_1_1);
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid version format")));
        assertThat(RequestHeadChecks.refusal(broken, false).status()).isEqualTo(400);
    }

    @Test
    void aCodingOtherThanChunkedAloneIs501() {
        HttpRequest gzip = get(HttpVersion.HTTP_1_1);
        gzip.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "gzip, chunked");
        assertThat(RequestHeadChecks.refusal(gzip, false))
                .isEqualTo(new RequestHeadChecks.Refusal(501, "client sent unknown \"Transfer-Encoding\": \"gzip, chunked\"",
                        false));
        HttpRequest twice = get(HttpVersion.HTTP_1_1);
        twice.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "chunked").add(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        assertThat(RequestHeadChecks.refusal(twice, false).status()).isEqualTo(501);
    }

    @Test
    void theDecodersRefusalOfACodingOtherThanChunkedAloneIs501AsNginxsAndOfAnHttp10Coding400() {
        assertThat(decoded("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"))
                .isEqualTo(new RequestHeadChecks.Refusal(501, "client sent unknown \"Transfer-Encoding\": \"gzip\"", false));
        assertThat(decoded("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").status())
                .isEqualTo(501);
        assertThat(decoded("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n").status())
                .isEqualTo(501);
        assertThat(decoded("POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n").status())
                .isEqualTo(400);
        // A faulty line is the head's fault, whatever coding came before it.
        assertThat(decoded("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nBad Line\r\n\r\n").status())
                .isEqualTo(400);
    }

    /** What the connection's real decoder makes of {@code head}, refused. */
    private static RequestHeadChecks.Refusal decoded(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
        HttpRequest request = channel.readInbound();
        channel.finishAndReleaseAll();
        return RequestHeadChecks.refusal(request, false);
    }

    @Test
    void aMajorVersionOtherThanOneIs505OnHttp1Only() {
        HttpRequest two = get(new HttpVersion("HTTP/2.0", true));
        assertThat(RequestHeadChecks.refusal(two, false))
                .isEqualTo(new RequestHeadChecks.Refusal(505, "client sent unsupported HTTP version HTTP/2.0", true));
        // Over HTTP/2 the conversion to HTTP/1 objects names no version of the client's, and frames the body itself.
        HttpRequest stream = get(HttpVersion.HTTP_1_1);
        stream.headers().add(HttpHeaderNames.TRANSFER_ENCODING, "gzip");
        assertThat(RequestHeadChecks.refusal(stream, true)).isNull();
    }

    private static HttpRequest get(HttpVersion version) {
        return new DefaultHttpRequest(version, HttpMethod.GET, "/");
    }
}
