package dev.proxyline.server.app;

import dev.proxyline.protocol.InetLiterals;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as log lines show them: {@code 192.0.2.1:80}, {@code [2001:db8::1]:80}, never a host name. */
final class Addresses {
    private Addresses() {
    }

    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            String host = InetLiterals.format(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
