package dev.proxyline.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.PromiseCombiner;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Binds listening sockets. Accepted channels get the settings every stage of a pipeline relies on:
 * half-closure allowed (a client may shut its output and still read the answer) and the listener's
 * socket options. Each passes the {@code worker_connections} gate of its worker first. Reading is
 * left on so that early stages (PROXY header, TLS) can read; a relay turns it off when it takes over.
 */
public final class ListenerBootstrap {
    private static final System.Logger LOG = System.getLogger(ListenerBootstrap.class.getName());

    private final EventLoops loops;

    /** Listeners will accept on {@code loops.acceptors()} and serve on {@code loops.workers()}. */
    public ListenerBootstrap(EventLoops loops) {
        this.loops = Objects.requireNonNull(loops, "loops");
    }

    /**
     * Binds a listener. With {@code reuseport} on epoll, binds one socket per worker event loop, as
     * nginx binds one per worker process: each worker accepts its own connections and the kernel
     * spreads new connections across the sockets. The returned future's channel then stands for all
     * of them: closing it closes the others.
     *
     * @param options address and socket options
     * @param setup builds each admitted connection's pipeline
     * @return the bind future; its channel is the (first) listening socket
     */
    public ChannelFuture bind(ListenerOptions options, AcceptedChannelSetup setup) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(setup, "setup");
        // One shared handler that gates and sets up each connection in one go: an initializer that added
        // another would cost two more pipeline changes per connection.
        ChannelHandler gated = new AcceptedChannelInitializer(loops.connections(), setup);
        Transport transport = loops.transport();
        if (!transport.isNative() && options.isIpv6() && options.ipv6Only()
                && options.address().getAddress().isAnyLocalAddress()) {
            LOG.log(Level.WARNING, "[::]:" + options.address().getPort() + " also accepts IPv4 clients on the "
                    + transport + " transport (the JDK cannot set IPV6_V6ONLY); a separate IPv4 listen on that port "
                    + "cannot be bound");
        }
        if (options.reusePort() && transport.isNative()) {
            return bindPerWorker(options, gated);
        }
        ServerBootstrap b = bootstrap(options, gated).group(loops.acceptors(), loops.workers());
        if (options.reusePort() && transport.supportsReusePort()) {
            b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        return b.bind(options.address());
    }

    /**
     * Binds a listener on a UNIX-domain socket file ({@code listen unix:PATH}). A file already at the path makes the
     * bind fail ("Address already in use"), as nginx's does: a stale socket is not removed, so a second instance
     * cannot take over a live one's socket. TCP options mean nothing here; {@code reuseport} is not applied (nginx
     * accepts it and binds one socket).
     *
     * @param path the socket file
     * @param backlog the accept queue length
     * @param acceptsPerWakeup as {@link ListenerOptions#acceptsPerWakeup()}
     * @param setup builds each admitted connection's pipeline
     * @return the bind future; its channel is the listening socket
     */
    public ChannelFuture bindDomain(UnixDomainSocketAddress path, int backlog, int acceptsPerWakeup,
                                    AcceptedChannelSetup setup) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(setup, "setup");
        Transport transport = loops.transport();
        return new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channelFactory(transport::newServerDomainChannel)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false).maxMessagesPerRead(acceptsPerWakeup))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new AcceptedChannelInitializer(loops.connections(), setup))
                .bind(transport.domainAddress(path));
    }

    private ChannelFuture bindPerWorker(ListenerOptions options, ChannelHandler gated) {
        List<EventLoop> workers = new ArrayList<>();
        for (EventExecutor loop : loops.workers()) {
            workers.add((EventLoop) loop);
        }
        ChannelFuture first = onWorker(options, gated, workers.get(0)).bind(options.address());
        Channel primary = first.channel();
        ChannelPromise all = primary.newPromise();
        first.addListener(bound -> {
            if (!bound.isSuccess()) {
                all.setFailure(bound.cause());
                return;
            }
            // Port 0 is resolved by the first bind; the others must share the port it got.
            SocketAddress actual = primary.localAddress();
            List<ChannelFuture> others = new ArrayList<>();
            for (EventLoop worker : workers.subList(1, workers.size())) {
                others.add(onWorker(options, gated, worker).bind(actual));
            }
            PromiseCombiner combiner = new PromiseCombiner(primary.eventLoop());
            others.forEach(combiner::add);
            combiner.finish(primary.newPromise().addListener(done -> {
                List<Channel> channels = others.stream().map(ChannelFuture::channel).toList();
                if (done.isSuccess()) {
                    primary.pipeline().addFirst(new CloseTogether(channels));
                    all.setSuccess();
                } else {
                    channels.forEach(Channel::close);
                    primary.close();
                    all.setFailure(done.cause());
                }
            }));
        });
        return all;
    }

    /** On the first of a port's per-worker sockets: closing it closes the others, then itself. */
    private static final class CloseTogether extends ChannelOutboundHandlerAdapter {
        private final List<Channel> others;

        CloseTogether(List<Channel> others) {
            this.others = others;
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            // The caller's close future completes only once no socket of the port accepts any more.
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            others.forEach(other -> combiner.add(other.close()));
            combiner.finish(ctx.newPromise().addListener(done -> ctx.close(promise)));
        }
    }

    private ServerBootstrap onWorker(ListenerOptions options, ChannelHandler gated, EventLoop worker) {
        return bootstrap(options, gated).group(worker, worker).option(UnixChannelOption.SO_REUSEPORT, true);
    }

    private ServerBootstrap bootstrap(ListenerOptions options, ChannelHandler gated) {
        Transport transport = loops.transport();
        ServerBootstrap b = new ServerBootstrap()
                .channelFactory(() -> transport.newServerChannel(options.address()))
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                // Not respecting "maybe more data": Netty's epoll listener takes it as false after every accept,
                // which would make each wake-up accept one connection whatever the batch.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false).maxMessagesPerRead(options.acceptsPerWakeup()))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(gated);
        // Each option set is a setsockopt per connection: TCP_NODELAY is Netty's default for accepted
        // sockets already (tested), SO_KEEPALIVE is off in a new socket, so only "on" needs a call.
        if (options.keepAlive()) {
            b.childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        options.receiveBufferSize().ifPresent(size -> b.childOption(ChannelOption.SO_RCVBUF, size));
        if (options.isIpv6() && transport.isNative()) {
            b.option(Ipv6Only.OPTION, options.ipv6Only() ? 1 : 0);
        }
        return b;
    }
}
