package dev.proxyline.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where proxyline connects to. Host names are kept unresolved ({@link Host}): the config layer never
 * resolves (convention 2); the runtime resolves them when it builds the upstream group.
 */
public sealed interface Endpoint {
    /** An IP literal and port. */
    record Inet(InetAddress address, int port) implements Endpoint {
        public Inet {
            Objects.requireNonNull(address, "address");
            checkPort(port);
        }

        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(address, port);
        }

        @Override
        public String toString() {
            String a = address.getHostAddress();
            return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port;
        }
    }

    /** A host name and port, resolved later by the runtime. */
    record Host(String host, int port) implements Endpoint {
        public Host {
            Objects.requireNonNull(host, "host");
            checkPort(port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** A UNIX-domain socket path ({@code unix:/run/app.sock}). */
    record Unix(String path) implements Endpoint {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of 1-65535");
    }
}
