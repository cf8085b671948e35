package dev.proxyline.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Loopback addresses with fixed roles, so that in every assertion the client, the proxy and the
 * backend are told apart by address, not only by port (127.0.0.0/8 is all loopback on Linux).
 */
public final class Loopback {
    /** Where the Java receivers and backends listen. */
    public static final InetAddress BACKEND = literal(127, 0, 0, 1);
    /** Where nginx listens. */
    public static final InetAddress NGINX = literal(127, 0, 0, 2);
    /** Where HAProxy listens. */
    public static final InetAddress HAPROXY = literal(127, 0, 0, 3);
    /** Where proxyline (started in-process) listens, and the source of its upstream connections. */
    public static final InetAddress PROXYLINE = literal(127, 0, 0, 4);
    /** The address clients bind to, standing in for the real client. */
    public static final InetAddress CLIENT = literal(127, 0, 0, 7);
    /**
     * The address readiness probes come from. A proxy under test relays a probe like any client,
     * so receivers recognise (and drop) the headers that carry this source.
     */
    public static final InetAddress PROBE = literal(127, 0, 0, 254);

    private Loopback() {
    }

    /**
     * A port that was free on {@code address} a moment ago, for peers that need a port number in
     * their configuration. Another process may take it before the peer binds; the window is short
     * and a peer that cannot bind fails its start loudly.
     */
    public static InetSocketAddress freePort(InetAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, 0));
            return new InetSocketAddress(address, socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + address.getHostAddress(), e);
        }
    }

    /** True when a TCP connect from {@link #PROBE} to {@code address} succeeds within {@code timeout}. */
    public static boolean accepts(InetSocketAddress address, Duration timeout) {
        try (Socket socket = new Socket()) {
            if (address.getAddress() instanceof java.net.Inet4Address) {
                // IPv6 has a single loopback address, so probes of an IPv6 listener cannot be marked.
                socket.bind(new InetSocketAddress(PROBE, 0));
            }
            socket.connect(address, (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A socket bound to {@link #CLIENT} on an ephemeral port, connected to {@code target}. */
    public static Socket connectFromClient(InetSocketAddress target, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(CLIENT, 0));
            socket.connect(target, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** True when this machine can listen on {@code ::1} (some containers have no IPv6 loopback). */
    public static boolean ipv6Works() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The socket address of an {@code ip:port} literal as curl's {@code %{local_ip}:%{local_port}} prints it. */
    public static InetSocketAddress parseIpPort(String ipPort) {
        int colon = ipPort.lastIndexOf(':');
        return new InetSocketAddress(ipPort.substring(0, colon), Integer.parseInt(ipPort.substring(colon + 1)));
    }

    /** {@code host:port} for configuration files ({@code [v6]:port} for IPv6). */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static InetAddress literal(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
