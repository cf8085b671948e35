package dev.proxyline.server.transport;

import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * IPV6_V6ONLY on native sockets. Netty names no option for it and the JDK's NIO sockets cannot have it (they
 * are always dual-stack), so it goes through the raw setsockopt that Netty's native sockets offer. It must be
 * set before bind: the kernel decides at bind whether an IPv6 wildcard also takes the port's IPv4 addresses.
 */
public final class Ipv6Only {
    // <netinet/in.h> on Linux, the only system the native transport runs on.
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;

    /** For {@code ServerBootstrap.option} on an epoll channel: 1 for IPv6 only, 0 for dual-stack. */
    static final ChannelOption<Integer> OPTION = new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY);

    private Ipv6Only() {}

    /** Sets IPV6_V6ONLY on an unbound IPv6 {@code socket}. */
    public static void set(Socket socket, boolean on) throws IOException {
        socket.setIntOpt(IPPROTO_IPV6, IPV6_V6ONLY, on ? 1 : 0);
    }
}
