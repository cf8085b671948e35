package dev.proxyline.server.transport;

import io.netty.channel.Channel;

/**
 * What a listener does with each connection it accepts: builds its pipeline, on the connection's event
 * loop, after the {@code worker_connections} gate admitted it and before any event reaches the pipeline.
 * An exception closes the connection.
 */
@FunctionalInterface
public interface AcceptedChannelSetup {
    void setUp(Channel accepted);
}
