package dev.proxyline.server.stream;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * Picks and connects the upstream for one session. The implementation owns the balancing policy and
 * any retries ({@code proxy_next_upstream}); the proxy only waits for the result.
 *
 * <p>Contract: the returned channel is connected and registered on {@code client.eventLoop()} (use
 * {@link dev.proxyline.server.transport.UpstreamBootstrap}, which does this). A failed future makes the
 * session end with {@link SessionStatus#BAD_GATEWAY}, unless the cause is a
 * {@link SessionRejectedException}, whose status is used instead.
 */
@FunctionalInterface
public interface UpstreamConnector {

    /**
     * Starts connecting an upstream for {@code client}. Called on the client's event loop.
     *
     * @param client the accepted client channel (its remote address identifies the client)
     * @return a future completed with the connected upstream channel, or failed
     */
    Future<Channel> connect(Channel client);
}
