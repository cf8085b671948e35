package dev.proxyline.server.variables;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hand-built HTTP exchanges for tests: {@code GET /x HTTP/1.1} from the client, changed field by field. */
public final class Exchanges {
    /** The client after realip, as the http realip module would find it. */
    public static final InetSocketAddress CLIENT = Sessions.CLIENT;

    String method = "GET";
    String requestUri = "/x";
    String uri = "/x";
    String args = "";
    String protocol = "HTTP/1.1";
    String scheme = "http";
    String host = "example.com";
    String serverName = "example.com";
    final List<HttpExchange.Header> requestHeaders = new ArrayList<>();
    final List<HttpExchange.Header> responseHeaders = new ArrayList<>();
    SocketAddress remote = CLIENT;
    SocketAddress realipRemote = Sessions.BALANCER;
    String requestId = "0123456789abcdef0123456789abcdef";
    Optional<TlsFacts> tls = Optional.empty();
    long requestLength;
    long bytesSent;
    long bodyBytesSent;
    int status;
    List<Integer> upstreamStatuses = List.of();
    long requestStartMillis = Sessions.NOW - 3;
    String limitReqStatus = "";
    SetValues writable = SetValues.NONE;

    private Exchanges() {
    }

    public static Exchanges get() {
        return new Exchanges();
    }

    public static VariableTable table() {
        return VariableTable.http(ZoneOffset.UTC, "Edge-1.Example", 4242);
    }

    /** The target with its query split off as nginx does. */
    public Exchanges target(String target) {
        requestUri = target;
        int q = target.indexOf('?');
        uri = q < 0 ? target : target.substring(0, q);
        args = q < 0 ? "" : target.substring(q + 1);
        return this;
    }

    /** Where a map regex's match writes its captures. */
    public Exchanges writable(SetValues into) {
        writable = into;
        return this;
    }

    public Exchanges method(String value) {
        method = value;
        return this;
    }

    public Exchanges h2() {
        protocol = "HTTP/2.0";
        return this;
    }

    public Exchanges tls(TlsFacts facts) {
        tls = Optional.of(facts);
        scheme = "https";
        return this;
    }

    public Exchanges header(String name, String value) {
        requestHeaders.add(new HttpExchange.Header(name, value));
        return this;
    }

    public Exchanges limitReqStatus(String value) {
        limitReqStatus = value;
        return this;
    }

    public Exchanges sent(String name, String value) {
        responseHeaders.add(new HttpExchange.Header(name, value));
        return this;
    }

    public Exchanges response(int code, long body, long total) {
        status = code;
        bodyBytesSent = body;
        bytesSent = total;
        return this;
    }

    public Exchanges requestLength(long value) {
        requestLength = value;
        return this;
    }

    public Exchanges upstreamStatuses(Integer... values) {
        upstreamStatuses = List.of(values);
        return this;
    }

    public HttpExchange build() {
        return new HttpExchange(method, requestUri, uri, args, protocol, scheme, host, serverName, requestHeaders,
                responseHeaders, remote, realipRemote, requestId, tls, requestLength, bytesSent, bodyBytesSent, status,
                upstreamStatuses, requestStartMillis, List.of(), limitReqStatus, "", method, writable);
    }

    /** A snapshot through a direct connection from the balancer, carrying this exchange. */
    public SessionSnapshot snapshot() {
        return Sessions.direct().http(build()).snapshot(Sessions.NOW);
    }

    /** {@code template} rendered with the http table for {@code session}. */
    public static String render(String template, SessionSnapshot session) {
        return Template.compile(template, table()).render(session);
    }

    /** {@code template} rendered with the http table for this exchange. */
    public String render(String template) {
        return render(template, snapshot());
    }
}
