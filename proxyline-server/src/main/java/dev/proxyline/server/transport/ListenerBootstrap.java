package dev.proxyline.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import java.util.Objects;

/**
 * Binds listening sockets. Accepted channels get the settings every stage of a pipeline relies on:
 * half-closure allowed (a client may shut its output and still read the answer) and the listener's
 * socket options. Each passes the {@code worker_connections} gate of its worker first. Reading is
 * left on so that early stages (PROXY header, TLS) can read; a relay turns it off when it takes over.
 */
public final class ListenerBootstrap {

    private final EventLoops loops;

    /** Listeners will accept on {@code loops.acceptors()} and serve on {@code loops.workers()}. */
    public ListenerBootstrap(EventLoops loops) {
        this.loops = Objects.requireNonNull(loops, "loops");
    }

    /**
     * Binds a listener.
     *
     * @param options address and socket options
     * @param childHandler the handler (usually a {@code ChannelInitializer}) each accepted channel gets
     * @return the bind future; its channel is the listening socket
     */
    public ChannelFuture bind(ListenerOptions options, ChannelHandler childHandler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(childHandler, "childHandler");
        Transport transport = loops.transport();
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.SO_KEEPALIVE, options.keepAlive())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (loops.connections().admit(ch)) {
                            ch.pipeline().addLast(childHandler);
                        }
                    }
                });
        if (options.reusePort() && transport.isNative()) {
            // NIO has no SO_REUSEPORT; asking for it there is accepted and ignored, like nginx on
            // systems without the option.
            b.option(UnixChannelOption.SO_REUSEPORT, true);
        }
        options.receiveBufferSize().ifPresent(size -> b.childOption(ChannelOption.SO_RCVBUF, size));
        return b.bind(options.address());
    }
}
