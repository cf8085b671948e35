package dev.proxyline.server.stream.raw;

import dev.proxyline.server.transport.Transport;
import io.netty.channel.EventLoopGroup;

/**
 * {@link RawRelayTest} on the event loop proxyline's workers run, whose epoll handler defers and coalesces
 * interest changes and cancels (see {@code dev.proxyline.server.transport.EpollInterestKeeper}): the
 * hand-over to splice deregisters and registers the same descriptors again within one round.
 */
class RawRelayOnWorkerLoopTest extends RawRelayTest {

    @Override
    EventLoopGroup newLoop() {
        return Transport.epoll().newEventLoopGroup(1, "raw-relay-test");
    }
}
