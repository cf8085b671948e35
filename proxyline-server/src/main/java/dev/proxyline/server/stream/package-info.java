/**
 * The L4 relay ({@code stream} context): {@link dev.proxyline.server.stream.StreamProxy} takes an accepted
 * client channel, gets a connected upstream from an {@link dev.proxyline.server.stream.UpstreamConnector},
 * writes an optional {@link dev.proxyline.server.stream.UpstreamPreface} (the PROXY header) and relays bytes
 * both ways with backpressure and {@code proxy_half_close}, then reports a {@link dev.proxyline.server.stream.SessionOutcome}.
 * Busy plaintext relays on epoll move on to zero-copy splice(2) ({@code dev.proxyline.server.stream.splice}).
 *
 * <p>Directive mapping: {@code proxy_timeout}, {@code proxy_buffer_size}, {@code proxy_splice} and
 * {@code proxy_half_close} are {@link dev.proxyline.server.stream.RelayOptions}; {@code proxy_connect_timeout},
 * {@code proxy_bind} and {@code proxy_socket_keepalive} are {@link dev.proxyline.server.transport.UpstreamOptions};
 * {@code proxy_pass host:port} without a group is {@link dev.proxyline.server.stream.FixedUpstreamConnector}.
 */
package dev.proxyline.server.stream;
