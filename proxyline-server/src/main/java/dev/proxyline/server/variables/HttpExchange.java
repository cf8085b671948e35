package dev.proxyline.server.variables;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts of one HTTP request and its response, frozen at one moment, that the http variables
 * show: when the request headers are complete (for {@code proxy_set_header} values and the PROXY
 * header sent upstream) and when the response is done (for the access log). Free of Netty types.
 *
 * <p>The connection-level facts (the socket, the PROXY stage, the upstream attempts) stay in the
 * enclosing {@link SessionSnapshot}; this record adds what is per request.
 *
 * <p>Text from the wire (method, targets, header names and values, host) is kept as a byte string,
 * one char per byte as Netty's HTTP codecs decode it ({@link ByteStrings}), so log escaping sees the
 * bytes the client sent; {@code serverName} is configuration text.
 *
 * @param method           {@code $request_method}
 * @param requestUri       {@code $request_uri}: the request target as received, arguments included
 * @param uri              {@code $uri}: the normalized path, without arguments
 * @param args             {@code $args}: the query without {@code ?}, empty when there is none
 * @param protocol         {@code $server_protocol}: {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}
 * @param scheme           {@code $scheme}: {@code http} or {@code https}
 * @param host             {@code $host}: the Host header (or :authority) lower-cased and without port,
 *                         else the server name
 * @param serverName       {@code $server_name}: the first name of the server block that took the request
 * @param requestHeaders   the request headers as received, in order ({@code $http_NAME},
 *                         {@code $proxy_add_x_forwarded_for}, {@code $cookie_NAME})
 * @param responseHeaders  the response headers as sent, in order ({@code $sent_http_NAME}); empty before
 * @param remote           {@code $remote_addr}/{@code $remote_port}: the client after realip
 * @param realipRemote     {@code $realip_remote_addr}/{@code $realip_remote_port}: the address realip started from
 * @param requestId        {@code $request_id}: 32 hex digits, or a trusted hop's X-Request-ID
 * @param tls              the TLS facts of the connection; empty on plain listeners
 * @param requestLength    {@code $request_length}: request line, headers and body bytes received
 * @param bytesSent        {@code $bytes_sent}: response bytes sent to the client, headers included
 * @param bodyBytesSent    {@code $body_bytes_sent}: response body bytes sent to the client
 * @param status           {@code $status}; 0 until the response status is known
 * @param upstreamStatuses {@code $upstream_status}: one per upstream attempt of the enclosing snapshot,
 *                         in the same order (missing ones count as 0); 0 for an attempt that got no
 *                         response, shown as {@code -}, or as 502 when the attempt never connected, as
 *                         nginx does; record 504 for an attempt that timed out
 * @param requestStartMillis when the first byte of the request arrived, epoch milliseconds
 *                         ({@code $request_time}, measured to the snapshot's {@code nowMillis})
 * @param setValues        the values the request's {@code set} directives gave, by the variable's index in the
 *                         table ({@link VariableTable#withSets}); null where none did
 * @param limitReqStatus   {@code $limit_req_status}; empty (not found) when no {@code limit_req} applied
 * @param limitConnStatus  {@code $limit_conn_status}; empty (not found) when no {@code limit_conn} applied
 * @param lineMethod       the method of the request line ({@code $request}): {@code method} as received, where
 *                         an {@code error_page}'s redirect made {@code $request_method} GET
 * @param writable         where a {@code map} regex's match writes its captures: the request's own set values,
 *                         which the next snapshot's {@code setValues} show ({@link SetValues#NONE} for none)
 */
public record HttpExchange(String method, String requestUri, String uri, String args, String protocol, String scheme,
                           String host, String serverName, List<Header> requestHeaders, List<Header> responseHeaders,
                           SocketAddress remote, SocketAddress realipRemote, String requestId,
                           Optional<TlsFacts> tls, long requestLength, long bytesSent, long bodyBytesSent,
                           int status, List<Integer> upstreamStatuses, long requestStartMillis,
                           List<String> setValues, String limitReqStatus, String limitConnStatus,
                           String lineMethod, SetValues writable) {

    /** One header field as it was received or sent; names keep their case, lookups ignore it. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public HttpExchange {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(lineMethod, "lineMethod");
        Objects.requireNonNull(writable, "writable");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serverName, "serverName");
        requestHeaders = List.copyOf(requestHeaders);
        responseHeaders = List.copyOf(responseHeaders);
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(realipRemote, "realipRemote");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(limitReqStatus, "limitReqStatus");
        Objects.requireNonNull(limitConnStatus, "limitConnStatus");
        Objects.requireNonNull(tls, "tls");
        upstreamStatuses = List.copyOf(upstreamStatuses);
        // Nulls allowed (not set); most requests have no set, and their snapshots allocate nothing for it.
        setValues = setValues.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(setValues));
        if (requestLength < 0 || bytesSent < 0 || bodyBytesSent < 0) {
            throw new IllegalArgumentException("byte counts must not be negative");
        }
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status " + status + " (expected 0-999)");
        }
    }

    /** The first request header called {@code name}, ignoring case. */
    public Optional<String> requestHeader(String name) {
        return first(requestHeaders, name);
    }

    /** The first response header called {@code name}, ignoring case. */
    public Optional<String> responseHeader(String name) {
        return first(responseHeaders, name);
    }

    private static Optional<String> first(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }
}
