package dev.proxyline.server.app;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.time.Duration;

/**
 * What an upstream connection of a stream session needs after its TCP connect and before the relay may use it
 * ({@code proxy_ssl}'s handshake). Part of the attempt: its failure is the server's, as a refused connect is, so
 * {@link GroupConnector} tries the next server, and {@code $upstream_connect_time} includes it, as nginx's does.
 */
interface AttemptSetup {
    /**
     * Prepares {@code upstream}, on its event loop. The future fails with an {@link UpstreamHandshakeException} when
     * the server may not be used; the caller then closes the channel.
     *
     * @param connecting how long the TCP connect took: nginx arms {@code proxy_connect_timeout} once, for the connect
     *                   and what follows it together
     */
    Future<Void> prepare(Channel client, Channel upstream, Duration connecting);
}
