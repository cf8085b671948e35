/**
 * The server assembly behind {@code proxyline run}: {@link dev.proxyline.server.app.ProxylineServer}
 * plans a configuration's stream servers (through {@code runtime}), binds every {@code listen} and
 * drains on stop.
 *
 * <p>Per accepted connection the pipeline is: the PROXY receive stage when the listen has
 * {@code proxy_protocol}, which hands the channel to the stream relay once the header is in; without it
 * the relay takes the channel over as it is accepted.
 * The relay's upstream connector walks the upstream group's attempt sequence ({@code proxy_next_upstream})
 * and the preface writes the PROXY header of {@code proxy_protocol on}. When the session ends its
 * access log line is handed to the writer thread.
 *
 * <p>Transport: native epoll where it loads, NIO elsewhere; see
 * {@link dev.proxyline.server.app.RunOptions#defaults()}.
 */
package dev.proxyline.server.app;
