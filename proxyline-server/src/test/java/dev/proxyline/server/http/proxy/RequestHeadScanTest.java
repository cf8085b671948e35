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

    /** A GET of {@code /x} with {@code fields}, name and value in turn, in that order. */
    private static HttpRequest request(String... fields) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        for (int i = 0; i < fields.length; i += 2) request.headers().add(fields[i], fields[i + 1]);
        return request;
    }

    @Test
    void theHeadSizeCountsTheRequestLineAndEveryField() {
        RequestFacts facts = facts();
        assertThat(RequestHeadScan.scan(request("Host", "a", "Accept", "*/*"), facts))
                .isEqualTo(RequestHeadScan.Verdict.READ);
        // "GET /x HTTP/1.1\r\n" and its slack (16 + 3 + 2), "Host: a\r\n" (4 + 1 + 4), "Accept: */*\r\n" (6 + 3 + 4),
        // and the empty line.
        assertThat(facts.requestLength).isEqualTo(21 + 9 + 13 + 2);
    }

    @Test
    void oneAuthorizationFieldIsRead() {
        assertThat(RequestHeadScan.scan(request("Host", "a", "Authorization", "Basic eDp5"), facts()))
                .isEqualTo(RequestHeadScan.Verdict.READ);
    }

    @Test
    void aSecondAuthorizationFieldInAnyCaseIsRefusedAndSaysWhetherAHostCameBefore() {
        assertThat(RequestHeadScan.scan(request("Host", "a", "Authorization", "x", "AUTHORIZATION", "y"), facts()))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION);
        assertThat(RequestHeadScan.scan(request("authorization", "x", "Authorization", "y", "Host", "a"), facts()))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION_BEFORE_HOST);
        assertThat(RequestHeadScan.scan(request("Authorization", "x", "Host", "a", "Authorization", "y"), facts()))
                .isEqualTo(RequestHeadScan.Verdict.DUPLICATE_AUTHORIZATION);
    }

    @Test
    void fieldsNamedLikeAuthorizationOrHostAreOthers() {
        assertThat(RequestHeadScan.scan(request("Proxy-Authorization", "x", "Authorizatio", "y",
                "Authorization", "z", "X-Host", "a"), facts())).isEqualTo(RequestHeadScan.Verdict.READ);
    }
}
