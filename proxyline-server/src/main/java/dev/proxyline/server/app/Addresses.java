package dev.proxyline.server.app;

import dev.proxyline.protocol.InetLiterals;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Socket addresses as log lines show them: {@code 192.0.2.1:80}, {@code [2001:db8::1]:80}, {@code unix:/run/a.sock},
 * never a host name.
 */
final class Addresses {
    private Addresses() {
    }

    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            String host = InetLiterals.format(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress file) return "unix:" + file.getPath();
        return String.valueOf(address);
    }
}
