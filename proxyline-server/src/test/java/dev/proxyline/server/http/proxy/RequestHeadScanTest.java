package dev.proxyline.server.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.RealIp;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestHeadScanTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.9", 40000);

    private static RequestFacts facts() {
        HttpConnection connection = new HttpConnection(1, PEER, new InetSocketAddress("127.0.0.1", 8080),
                Optional.empty(), Optional.empty(), HttpConnection.HTTP_1_1);
        return new RequestFacts(connection, 0, 0, new DefaultHttpHeaders(), new RealIp.Result(PEER, PEER, false));
    }

    private static RequestHeadScan.Verdict scan(HttpRequest request, RequestFacts facts, boolean http2) {
        return RequestHeadScan.scan(request, facts, http2, HeadRules.STANDARD);
    }

    /** What is logged for {@code request}'s refusal: the scan's verdict, and the field it noted. */
    private static String message(HttpRequest request) {
        RequestFacts facts = facts();
        return RequestHeadScan.message(scan(request, facts, false), facts.tooLongField);
    }

    /** A GET of {@code /x} with {@code fields}, name and value in turn, in that order. */
    private static HttpRequest request(String... fields) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        for (int i = 0; i < fields.length; i += 2) request.headers().add(fields[i], fields[i + 1]);
        return request;
    }

    @Test
    void theHeadSizeCountsTheRequestLineAndEveryField() {
        RequestFacts facts = facts();
        assertThat(scan(request("Host", "a", "Accept", "*/*"), facts, false))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        // "GET /x HTTP/1.1\r\n" and its slack (16 + 3 + 2), "Host: a\r\n" (4 + 1 + 4), "Accept: */*\r\n" (6 + 3 + 4),
        // and the empty line.
        assertThat(facts.requestLength).isEqualTo(21 + 9 + 13 + 2);
    }

    @Test
    void oneAuthorizationFieldIsRead() {
        assertThat(scan(request("Host", "a", "Authorization", "Basic eDp5"), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void aSecondAuthorizationFieldInAnyCaseIsRefusedAndSaysWhetherAHostCameBefore() {
        assertThat(scan(request("Host", "a", "Authorization", "x", "AUTHORIZATION", "y"), facts(),
                false)).isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION);
        assertThat(scan(request("authorization", "x", "Authorization", "y", "Host", "a"), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST);
        assertThat(scan(request("Authorization", "x", "Host", "a", "Authorization", "y"), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION);
    }

    @Test
    void fieldsNamedLikeAuthorizationOrHostAreOthers() {
        assertThat(scan(request("Proxy-Authorization", "x", "Authorizatio", "y",
                "Authorization", "z", "X-Host", "a"), facts(), false)).isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void aFieldLineLongerThanEightKibibytesWithItsCrlfIsTooLargeInHttp1Only() {
        String fits = "a".repeat(8192 - "X-A: \r\n".length());
        assertThat(scan(request("Host", "a", "X-A", fits), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        HttpRequest tooLong = request("Host", "a", "X-A", fits + "a", "Authorization", "x", "Authorization", "y");
        assertThat(scan(tooLong, facts(), false)).as("the first refusal counts")
                .isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(message(tooLong))
                .isEqualTo("client sent too long header line: \"X-A: ...\"");
        assertThat(scan(request("X-A", fits + "a", "Host", "a"), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG_BEFORE_HOST);
        assertThat(scan(request("Host", "a", "X-A", fits + "a"), facts(), true)).as("HTTP/2")
                .isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void theRefusalsAreNginxsStatusesAndWords() {
        assertThat(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION.status).isEqualTo(400);
        assertThat(RequestHeadScan.Verdict.LINE_TOO_LONG_BEFORE_HOST.status).isEqualTo(494);
        assertThat(message(request("Authorization", "x", "Authorization", "y")))
                .isEqualTo("client sent duplicate header line: \"Authorization\"");
    }

    /** A GET of {@code /x} with Host and {@code count} fields ... of {@code size} bytes of value each. */
    private static HttpRequest lines(int count, int size) {
        HttpRequest request = request("Host", "a");
        for (int i = 0; i < count; i++) request.headers().add("X-" + i, "a".repeat(size));
        return request;
    }

    @Test
    void linesFillNginxsFourLargeBuffersWhole() {
        assertThat(scan(lines(4, 7000), facts(), false)).isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(scan(lines(5, 7000), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(message(lines(5, 7000)))
                .isEqualTo("client sent too long header line: \"X-4: ...\"");
        assertThat(scan(lines(8, 4000), facts(), false)).as("two a buffer")
                .isEqualTo(RequestHeadScan.Verdict.READ);
        assertThat(scan(lines(9, 4000), facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.LINE_TOO_LONG);
        assertThat(scan(lines(9, 4000), facts(), true)).as("HTTP/2")
                .isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void aRequestLineLongerThanALargeBufferWithItsCrlfIsTooLong() {
        // "GET " + target + " HTTP/1.1\r\n": 15 bytes around the target.
        HttpRequest fits = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/" + "a".repeat(8176));
        assertThat(scan(fits, facts(), false)).isEqualTo(RequestHeadScan.Verdict.READ);
        HttpRequest tooLong = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/" + "a".repeat(8177));
        assertThat(scan(tooLong, facts(), false))
                .isEqualTo(RequestHeadScan.Verdict.REQUEST_LINE_TOO_LONG);
        assertThat(RequestHeadScan.Verdict.REQUEST_LINE_TOO_LONG.status).isEqualTo(414);
        assertThat(message(tooLong))
                .isEqualTo("client sent too long URI");
    }
}
