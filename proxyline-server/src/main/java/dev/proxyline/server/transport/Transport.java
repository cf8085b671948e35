package dev.proxyline.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.socket.SocketProtocolFamily;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The socket implementation the runtime runs on: Linux native epoll when the native library loads,
 * the JDK's NIO otherwise. Event loops and channels must come from the same transport, so this is the
 * only place that names the concrete Netty classes.
 */
public final class Transport {

    /** Which implementation a {@link Transport} uses. */
    public enum Kind {
        /** Linux epoll through Netty's JNI library (with {@link EpollInterestKeeper}'s fix). */
        EPOLL,
        /** The JDK's selector-based sockets; available everywhere. */
        NIO
    }

    private final Kind kind;
    private final Supplier<IoHandlerFactory> ioHandlerFactory;
    private final Function<SocketProtocolFamily, ServerChannel> serverChannels;
    private final Class<? extends SocketChannel> socketChannelClass;
    private final Function<SocketProtocolFamily, SocketChannel> socketChannels;
    private final Supplier<DuplexChannel> domainSocketChannels;
    private final Supplier<ServerChannel> serverDomainChannels;
    private final Function<UnixDomainSocketAddress, SocketAddress> domainAddresses;

    private Transport(
            Kind kind,
            Supplier<IoHandlerFactory> ioHandlerFactory,
            Function<SocketProtocolFamily, ServerChannel> serverChannels,
            Class<? extends SocketChannel> socketChannelClass,
            Function<SocketProtocolFamily, SocketChannel> socketChannels,
            Supplier<DuplexChannel> domainSocketChannels,
            Supplier<ServerChannel> serverDomainChannels,
            Function<UnixDomainSocketAddress, SocketAddress> domainAddresses) {
        this.kind = kind;
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannels = serverChannels;
        this.socketChannelClass = socketChannelClass;
        this.socketChannels = socketChannels;
        this.domainSocketChannels = domainSocketChannels;
        this.serverDomainChannels = serverDomainChannels;
        this.domainAddresses = domainAddresses;
    }

    /** True if the native epoll transport can be used on this machine ({@code Epoll.isAvailable()}). */
    public static boolean epollAvailable() {
        return Epoll.isAvailable();
    }

    /**
     * Why native epoll cannot be used here (the native library's load failure, or a non-Linux
     * system); empty where it can.
     */
    public static Optional<String> epollUnavailableReason() {
        if (Epoll.isAvailable()) {
            return Optional.empty();
        }
        Throwable cause = Epoll.unavailabilityCause();
        return Optional.of(cause == null ? "unknown reason" : String.valueOf(cause.getMessage()));
    }

    /** Native epoll if {@code Epoll.isAvailable()}, NIO otherwise. */
    public static Transport best() {
        return epollAvailable() ? epoll() : nio();
    }

    /** The NIO transport; always available. */
    public static Transport nio() {
        return Nio.INSTANCE;
    }

    /**
     * The epoll transport.
     *
     * @throws UnsupportedOperationException if the native library cannot be loaded on this machine
     */
    public static Transport epoll() {
        if (!Epoll.isAvailable()) {
            throw new UnsupportedOperationException("the epoll transport is not available on this machine: "
                    + Epoll.unavailabilityCause());
        }
        return Native.INSTANCE;
    }

    // Holders: immutable instances built on first use, so asking for NIO never touches epoll classes.
    private static final class Nio {
        static final Transport INSTANCE = new Transport(Kind.NIO, NioIoHandler::newFactory,
                family -> new NioServerSocketChannel(SelectorProvider.provider(), family), NioSocketChannel.class,
                family -> new NioSocketChannel(), NioDomainSocketChannel::new, NioServerDomainSocketChannel::new, unix -> unix);
        static final boolean REUSE_PORT = jdkHasReusePort();

        private static boolean jdkHasReusePort() {
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static final class Native {
        static final Transport INSTANCE = new Transport(Kind.EPOLL, EpollInterestKeeper::factory,
                EpollServerSocketChannel::new, EpollSocketChannel.class,
                EpollSocketChannel::new, EpollDomainSocketChannel::new, EpollServerDomainSocketChannel::new,
                unix -> new DomainSocketAddress(unix.getPath().toString()));
    }

    /** The transport a channel was created by; used to connect upstreams with the same socket type. */
    public static Transport of(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        // Of the two transports only epoll's channels are UnixChannels (they expose a file descriptor).
        return channel instanceof UnixChannel ? epoll() : nio();
    }

    /** Which implementation this is. */
    public Kind kind() {
        return kind;
    }

    /** True for epoll. */
    public boolean isNative() {
        return kind == Kind.EPOLL;
    }

    /**
     * Whether listening sockets can have SO_REUSEPORT: always with epoll; with NIO where the JDK
     * offers {@code StandardSocketOptions.SO_REUSEPORT} (Linux, the BSDs, macOS).
     */
    public boolean supportsReusePort() {
        return isNative() || Nio.REUSE_PORT;
    }

    /**
     * A new event loop group of {@code threads} threads named {@code name-N}.
     *
     * @param threads at least 1
     */
    public EventLoopGroup newEventLoopGroup(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("event loop threads: " + threads + " (expected at least 1)");
        }
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), ioHandlerFactory.get());
    }

    /**
     * A new unregistered listening socket of {@code local}'s own family, for {@code ServerBootstrap.channelFactory},
     * as nginx creates it: Netty's default is a dual-stack IPv6 socket for an IPv4 address too, which would
     * collide with an IPv6 wildcard listen on the same port.
     */
    public ServerChannel newServerChannel(InetSocketAddress local) {
        return serverChannels.apply(familyOf(local));
    }

    /** A new unregistered listening UNIX-domain socket, bound to the address {@link #domainAddress} makes. */
    public ServerChannel newServerDomainChannel() {
        return serverDomainChannels.get();
    }

    /** The connected socket class for {@code Bootstrap.channel}. */
    public Class<? extends SocketChannel> socketChannelClass() {
        return socketChannelClass;
    }

    /**
     * A new unregistered, unconnected socket channel for connecting to {@code remote} (a resolved
     * address), made without reflection (one per upstream connection).
     */
    public SocketChannel newSocketChannel(InetSocketAddress remote) {
        return socketChannels.apply(familyOf(remote));
    }

    /**
     * A new unregistered, unconnected UNIX-domain stream socket channel, for connecting to the address that
     * {@link #domainAddress} makes of a {@code unix:PATH} upstream.
     */
    public DuplexChannel newDomainSocketChannel() {
        return domainSocketChannels.get();
    }

    /**
     * {@code unix}'s path as this transport's channels take it: the JDK's address for NIO, Netty's own for epoll, whose
     * channels know no other.
     */
    public SocketAddress domainAddress(UnixDomainSocketAddress unix) {
        return domainAddresses.apply(unix);
    }

    // Every socket of its address's own family: a dual-stack one for an IPv4 upstream costs a setsockopt
    // (IPV6_V6ONLY) per connection, and NIO's client sockets pick their family at connect, so they take none.
    private static SocketProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
