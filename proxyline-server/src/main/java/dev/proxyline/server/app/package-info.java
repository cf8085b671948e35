/**
 * The server assembly behind {@code proxyline run}: {@link dev.proxyline.server.app.ProxylineServer}
 * plans a configuration's stream servers (through {@code runtime}), binds every {@code listen} and
 * drains on stop.
 *
 * <p>A stream {@code listen} runs its sessions one of two ways, with the same behaviour: on the epoll transport
 * on raw descriptors ({@link dev.proxyline.server.app.RawStreamFront}, one
 * {@link dev.proxyline.server.stream.raw.RawStreamSession} per connection), elsewhere, or when
 * {@link dev.proxyline.server.app.RunOptions#streamChannels()} says so, on channels, where the pipeline is the
 * PROXY receive stage when the listen has {@code proxy_protocol}, which hands the channel to the stream relay once
 * the header is in; without it the relay takes the channel over as it is accepted
 * ({@link dev.proxyline.server.app.ConnectionInitializer}).
 * Either way the upstream is chosen by the group's policy ({@link dev.proxyline.server.app.GroupAttempts}:
 * the attempt sequence, {@code proxy_next_upstream}), the preface is the PROXY header of
 * {@code proxy_protocol on}, and when the session ends {@link dev.proxyline.server.app.StreamService} hands its
 * access log line to the writer thread.
 *
 * <p>Transport: native epoll where it loads, NIO elsewhere; see
 * {@link dev.proxyline.server.app.RunOptions#defaults()}.
 */
package dev.proxyline.server.app;
