package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.Headers;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.variables.HttpExchange;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What is known about one request while it is served, for {@code proxy_set_header}, the PROXY header
 * sent upstream and the access log. Mutable, owned by the connection's event loop.
 */
final class RequestFacts {
    final HttpConnection connection;
    final long startMillis;
    final long startNanos;
    String method = "";
    String requestUri = "";
    String path = "";
    String args = "";
    String protocol;
    String host = "";
    String serverName = "";
    List<HttpExchange.Header> requestHeaders = List.of();
    List<HttpExchange.Header> responseHeaders = List.of();
    RealIp.Result client;
    String requestId = "";
    long requestLength;
    long bytesSent;
    long bodyBytesSent;
    int status;
    final List<UpstreamAttempt> attempts = new ArrayList<>(1);
    final List<Integer> upstreamStatuses = new ArrayList<>(1);
    private Headers realipHeaders; // null until first asked for

    RequestFacts(HttpConnection connection, long startMillis, long startNanos) {
        this.connection = connection;
        this.startMillis = startMillis;
        this.startNanos = startNanos;
        this.protocol = connection.protocol();
        this.client = new RealIp.Result(connection.peer(), connection.peer(), false);
    }

    /** An immutable list, so that each snapshot's {@link HttpExchange} shares it instead of copying it. */
    static List<HttpExchange.Header> headers(HttpHeaders headers) {
        HttpExchange.Header[] out = new HttpExchange.Header[headers.size()];
        int i = 0;
        for (Map.Entry<String, String> h : headers) out[i++] = new HttpExchange.Header(h.getKey(), h.getValue());
        return List.of(out);
    }

    /** The request headers for realip and the forwarding headers; built once per request. */
    Headers realipHeaders() {
        if (realipHeaders == null) {
            List<Headers.Field> fields = new ArrayList<>(requestHeaders.size());
            for (HttpExchange.Header h : requestHeaders) fields.add(new Headers.Field(h.name(), h.value()));
            realipHeaders = Headers.of(fields);
        }
        return realipHeaders;
    }

    /** The variables' view of this request at {@code nowMillis}. */
    SessionSnapshot snapshot(long nowMillis) {
        HttpExchange exchange = new HttpExchange(method, requestUri, path, args, protocol, connection.scheme(), host,
                serverName, requestHeaders, responseHeaders, client.remote(), client.realipRemote(), requestId,
                connection.tls(), requestLength, bytesSent, bodyBytesSent, status, upstreamStatuses, startMillis);
        SessionSnapshot.Builder b = SessionSnapshot.builder(connection.serial(), connection.peer(), connection.local())
                .startMillis(startMillis).bytesSent(bytesSent).bytesReceived(requestLength).status(status)
                .http(exchange);
        connection.proxied().ifPresent(b::proxied);
        attempts.forEach(b::upstream);
        return b.snapshot(nowMillis);
    }
}
