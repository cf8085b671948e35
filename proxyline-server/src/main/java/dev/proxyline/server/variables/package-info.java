/**
 * nginx's stream and http variables as plain Java, without Netty types.
 *
 * <p>A session's facts are frozen in a {@link dev.proxyline.server.variables.SessionSnapshot} (socket
 * addresses, the {@link dev.proxyline.protocol.netty.ProxiedConnection} of the PROXY stage, upstream
 * attempts, byte counts, times, status). A {@link dev.proxyline.server.variables.VariableTable} knows
 * the variable names; a {@link dev.proxyline.server.variables.Template} is compiled against it once,
 * at configuration time (unknown names fail there, with the name), and rendered into a
 * {@link java.lang.StringBuilder} for each session.
 *
 * <p>Values are byte strings (one char per byte, see {@link dev.proxyline.server.variables.ByteStrings}),
 * so raw TLV values survive unchanged and log escaping is byte-exact with nginx.
 *
 * <h2>Variables</h2>
 * {@code $remote_addr $remote_port $binary_remote_addr $realip_remote_addr $realip_remote_port
 * $proxy_protocol_addr $proxy_protocol_port $proxy_protocol_server_addr $proxy_protocol_server_port
 * $proxy_protocol_tlv_NAME $server_addr $server_port $upstream_addr $upstream_connect_time
 * $upstream_first_byte_time $upstream_session_time $upstream_bytes_sent $upstream_bytes_received
 * $bytes_sent $bytes_received $session_time $status $time_local $time_iso8601 $msec $connection
 * $hostname $pid $protocol $limit_conn_status}. The glue takes the snapshot times from an injected wall clock.
 *
 * <p>The http table ({@link dev.proxyline.server.variables.VariableTable#http}) adds the variables of
 * {@link dev.proxyline.server.variables.HttpVariable} and
 * {@link dev.proxyline.server.variables.FieldVariable}, read from the snapshot's
 * {@link dev.proxyline.server.variables.HttpExchange}; {@code docs/configuration.md} lists them.
 *
 * <h2>realip</h2>
 * {@code $remote_addr} is {@link dev.proxyline.server.variables.SessionSnapshot#remote()}: the PROXY
 * header's source only when the PROXY stage believed the header, which the runtime arranges to mean
 * "the socket peer matches {@code set_real_ip_from}" (see {@code runtime.TrustPolicies}).
 * {@code $realip_remote_addr} is always the socket peer, which is what nginx shows in both cases.
 * {@code $proxy_protocol_addr} and the TLV variables show the header whoever sent it, as in nginx.
 *
 * <h2>Differences from nginx</h2>
 * <ul>
 *   <li>{@code $proxy_protocol_addr} is printed canonically; nginx repeats a v1 header's text verbatim.</li>
 *   <li>TLVs of a header without addresses (v2 LOCAL or UNSPEC) are shown; nginx drops them.</li>
 *   <li>An unknown {@code $proxy_protocol_tlv_NAME} is a configuration error, not a runtime log line.</li>
 *   <li>{@code $time_local}, {@code $time_iso8601} and {@code $msec} are the snapshot time: the end
 *       of the session for an access log line, as in nginx where the line is written then.</li>
 * </ul>
 */
package dev.proxyline.server.variables;
