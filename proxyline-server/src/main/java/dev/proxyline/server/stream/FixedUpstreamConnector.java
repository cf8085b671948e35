package dev.proxyline.server.stream;

import dev.proxyline.server.transport.UpstreamBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connects every session to one address, once, without retries: {@code proxy_pass 10.0.0.30:80;}. The
 * balancing connectors of the {@code upstream} package build on the same {@link UpstreamBootstrap}.
 */
public final class FixedUpstreamConnector implements UpstreamConnector {

    private final UpstreamBootstrap bootstrap;
    private final InetSocketAddress address;

    /**
     * @param bootstrap opens the connection (timeout, bind address)
     * @param address the resolved upstream address
     */
    public FixedUpstreamConnector(UpstreamBootstrap bootstrap, InetSocketAddress address) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.address = Objects.requireNonNull(address, "address");
    }

    @Override
    public Future<Channel> connect(Channel client) {
        Promise<Channel> promise = client.eventLoop().newPromise();
        // The relay installs its own handler once connected.
        ChannelFuture f = bootstrap.connect(client, address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                promise.trySuccess(f.channel());
            } else {
                promise.tryFailure(done.cause());
            }
        });
        return promise;
    }
}
