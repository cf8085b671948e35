package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.HttpConnection;
import dev.proxyline.server.http.realip.Headers;
import dev.proxyline.server.http.routing.RegexMatches;
import dev.proxyline.server.http.realip.RealIp;
import dev.proxyline.server.variables.HttpExchange;
import dev.proxyline.server.variables.SessionSnapshot;
import dev.proxyline.server.variables.SetValues;
import dev.proxyline.server.variables.UpstreamAttempt;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What is known about one request while it is served, for {@code proxy_set_header}, the PROXY header
 * sent upstream and the access log. Mutable, owned by the connection's event loop.
 *
 * <p>The request's headers are read from the decoded message only when something asks for them, and
 * then once: most requests need them for realip and the forwarding headers alone, not as the variables'
 * list. A {@link Supplier} of them itself, so that realip asks for them without a lambda per request.
 */
final class RequestFacts implements Supplier<Headers>, SetValues {
    final HttpConnection connection;
    final long startMillis;
    final long startNanos;
    String method = "";
    String requestUri = "";
    String path = "";
    String args = "";
    /** A {@code rewrite} changed {@code path} (and maybe {@code args}): the request target upstream is built from them. */
    boolean uriChanged;
    /** The change came from a {@code break} rewrite in the location that proxies: its proxy_pass URI part is ignored. */
    boolean rewrittenInLocation;
    String protocol;
    String host = "";
    /** The request named its host (Host, or the request line): {@code host} is that, not the server's name. */
    boolean hostSent;
    String serverName = "";
    /** The decoded request's headers until {@link #receivedHeaders()} has read them; they are edited in place after. */
    private HttpHeaders received;
    private Headers receivedView; // null until first asked for
    private List<HttpExchange.Header> requestHeaders; // null until a snapshot asks for them
    List<HttpExchange.Header> responseHeaders = List.of();
    RealIp.Result client;
    String requestId = "";
    long requestLength;
    /** The name of the first field dropped for its name (ignore_invalid_headers); null when none was. */
    String droppedField;
    /** The name of the field whose line found no room in nginx's header buffers; null when none did. */
    String tooLongField;
    long bytesSent;
    long bodyBytesSent;
    int status;
    final List<UpstreamAttempt> attempts = new ArrayList<>(1);
    final List<Integer> upstreamStatuses = new ArrayList<>(1);

    /**
     * @param received the request's headers as decoded; read on demand (see {@link #receivedHeaders()})
     * @param peer     the connection's peer as the client, until realip has resolved the request's
     */
    RequestFacts(HttpConnection connection, long startMillis, long startNanos, HttpHeaders received,
                 RealIp.Result peer) {
        this.connection = connection;
        this.startMillis = startMillis;
        this.startNanos = startNanos;
        this.protocol = connection.protocol();
        this.client = peer;
        this.received = received;
    }

    /** An immutable list, so that each snapshot's {@link HttpExchange} shares it instead of copying it. */
    static List<HttpExchange.Header> headers(HttpHeaders headers) {
        HttpExchange.Header[] out = new HttpExchange.Header[headers.size()];
        int i = 0;
        for (Map.Entry<String, String> h : headers) out[i++] = new HttpExchange.Header(h.getKey(), h.getValue());
        return List.of(out);
    }

    /**
     * The request headers as received, for realip, the forwarding headers and the variables; read from
     * the decoded message on the first call, which must come before anything edits that message's
     * headers (the exchange asks before it turns them into the upstream's).
     */
    Headers receivedHeaders() {
        if (receivedView == null) {
            List<Headers.Field> fields = new ArrayList<>(received.size());
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = received.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> h = it.next();
                fields.add(new Headers.Field(h.getKey().toString(), h.getValue().toString()));
            }
            receivedView = Headers.of(fields);
            received = null; // edited from here on: nothing reads it as received any more
        }
        return receivedView;
    }

    /** {@link #receivedHeaders()}, for realip. */
    @Override
    public Headers get() {
        return receivedHeaders();
    }

    /** The request headers as the variables see them; made only when a snapshot is taken. */
    private List<HttpExchange.Header> requestHeaders() {
        if (requestHeaders == null) {
            List<Headers.Field> fields = receivedHeaders().fields();
            HttpExchange.Header[] out = new HttpExchange.Header[fields.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new HttpExchange.Header(fields.get(i).name(), fields.get(i).value());
            }
            requestHeaders = List.of(out);
        }
        return requestHeaders;
    }

    /** {@code $limit_req_status} and {@code $limit_conn_status}; empty while no limit applied. */
    String limitReqStatus = "";
    String limitConnStatus = "";

    /** URI changes so far (rewrites that searched the location again, internal redirects): nginx's one budget. */
    int uriChanges;
    /** An {@code error_page} redirected the request to a path: {@code internal} locations admit it. */
    boolean internal;
    /** An error went through a location's {@code error_page}s with {@code recursive_error_pages off}: no more do. */
    boolean errorPageUsed;
    /** The status an {@code error_page} puts on the answer of the page's request (nginx's err_status); 0 for none. */
    int errStatus;
    /** {@code $request_method} after an {@code error_page} made it GET ({@code method} stays the request line's); or null. */
    String pageMethod;
    /** The Location of a redirect that went to an {@code error_page}: the page's answer keeps it, as nginx's; or null. */
    String errLocation;
    /** The WWW-Authenticate of an {@code auth_basic} 401: its answer carries it, and an error_page's too (nginx's); or null. */
    String wwwAuthenticate;

    /** The regex locations' matches of the last location search, for their captures; null before a search. */
    RegexMatches locationMatches;

    /** What the request's {@code set}s assigned, by variable index; null before any did. */
    String[] setValues;

    /**
     * {@link #setValues}, for a {@code map} regex's captures. A map first used by the access log, on its writer's
     * thread, writes here after the request is over, where nothing reads them any more.
     */
    @Override
    public String[] writable(int slots) {
        if (setValues == null) setValues = new String[slots];
        return setValues;
    }

    /** The variables' view of this request at {@code nowMillis}. */
    SessionSnapshot snapshot(long nowMillis) {
        HttpExchange exchange = new HttpExchange(pageMethod != null ? pageMethod : method, requestUri, path, args, protocol, connection.scheme(), host,
                serverName, requestHeaders(), responseHeaders, client.remote(), client.realipRemote(), requestId,
                connection.tls(), requestLength, bytesSent, bodyBytesSent, status, upstreamStatuses, startMillis,
                setValues == null ? List.of() : Arrays.asList(setValues), limitReqStatus, limitConnStatus, method,
                this);
        SessionSnapshot.Builder b = SessionSnapshot.builder(connection.serial(), connection.peer(), connection.local())
                .startMillis(startMillis).bytesSent(bytesSent).bytesReceived(requestLength).status(status)
                .http(exchange);
        connection.proxied().ifPresent(b::proxied);
        attempts.forEach(b::upstream);
        return b.snapshot(nowMillis);
    }
}
