package dev.proxyline.server.variables;

import dev.proxyline.protocol.InetLiterals;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Appends addresses and ports the way nginx prints them. */
final class Addresses {
    private Addresses() {
    }

    /**
     * The address without port and without brackets, as nginx's {@code $remote_addr}; an AF_UNIX
     * socket is {@code unix:}.
     */
    static void appendAddress(StringBuilder out, SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            appendAddress(out, inet.getAddress());
        } else {
            out.append("unix:");
        }
    }

    /**
     * The local end of a connection, as nginx's {@code $server_addr}: as {@link #appendAddress(StringBuilder,
     * SocketAddress)}, but the socket file of a {@code listen unix:} follows {@code unix:} ({@code unix:/run/in.sock}).
     */
    static void appendLocalAddress(StringBuilder out, SocketAddress address) {
        appendAddress(out, address);
        // The JDK's address on NIO, Netty's own on epoll.
        if (address instanceof UnixDomainSocketAddress file) {
            out.append(file.getPath());
        } else if (address instanceof DomainSocketAddress file) {
            out.append(file.path());
        }
    }

    static void appendAddress(StringBuilder out, InetAddress address) {
        if (address instanceof Inet4Address) {
            // The common case without building a String: getAddress() is the only allocation.
            byte[] raw = address.getAddress();
            out.append(raw[0] & 0xFF).append('.').append(raw[1] & 0xFF).append('.')
                    .append(raw[2] & 0xFF).append('.').append(raw[3] & 0xFF);
        } else {
            out.append(InetLiterals.format(address));
        }
    }

    /** The port, or nothing for a socket without one (nginx prints only ports 1-65535). */
    static void appendPort(StringBuilder out, SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getPort() > 0) {
            out.append(inet.getPort());
        }
    }

    /** {@code seconds.millis} with three decimals, nginx's {@code %T.%03M}. */
    static void appendSecondsMillis(StringBuilder out, long millis) {
        long ms = Math.max(0, millis);
        out.append(ms / 1000).append('.');
        long rest = ms % 1000;
        if (rest < 100) {
            out.append('0');
        }
        if (rest < 10) {
            out.append('0');
        }
        out.append(rest);
    }

    /** A status as nginx's {@code %03ui}: {@code 000}, {@code 200}. */
    static void appendThreeDigits(StringBuilder out, int value) {
        if (value < 100) {
            out.append('0');
        }
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }
}
