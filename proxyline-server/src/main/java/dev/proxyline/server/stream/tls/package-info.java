/**
 * TLS termination in stream servers ({@code listen ... ssl}, nginx's ngx_stream_ssl_module) on the channel path:
 * {@link dev.proxyline.server.stream.tls.StreamTlsStage} runs the handshake after the PROXY header and the access
 * checks and hands the session on with its facts; {@link dev.proxyline.server.stream.tls.StreamHandshakes} counts
 * the outcomes and words the failures as nginx does. The engine contexts come from
 * {@link dev.proxyline.server.tls.StreamTlsContext}.
 */
package dev.proxyline.server.stream.tls;
