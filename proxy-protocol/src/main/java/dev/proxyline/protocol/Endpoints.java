package dev.proxyline.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The endpoints a PROXY header reports for the original connection.
 *
 * <p>{@link Unspecified} means the receiver must keep the socket's own endpoints: v1
 * {@code UNKNOWN}, v2 {@code LOCAL}, or the v2 {@code UNSPEC} family.
 */
public sealed interface Endpoints permits Endpoints.Inet, Endpoints.Unix, Endpoints.Unspecified {

    /** The original client and the address it connected to, IPv4 or IPv6. */
    record Inet(InetSocketAddress source, InetSocketAddress destination) implements Endpoints {
        public Inet {
            requireLiteral(source, "source");
            requireLiteral(destination, "destination");
        }

        /** Both endpoints from addresses and ports (0–65535); no name is ever resolved. */
        public static Inet of(InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {
            requirePort(sourcePort, "source");
            requirePort(destinationPort, "destination");
            return new Inet(
                    new InetSocketAddress(Objects.requireNonNull(source, "source"), sourcePort),
                    new InetSocketAddress(Objects.requireNonNull(destination, "destination"), destinationPort));
        }

        private static void requirePort(int port, String what) {
            if (port < 0 || port > 0xFFFF) {
                // A ProxyEncodeException is an IllegalArgumentException that also carries the reason for metrics.
                throw new ProxyEncodeException(Reason.PORT_OUT_OF_RANGE, what + " port " + port + " is outside 0-65535");
            }
        }

        private static void requireLiteral(InetSocketAddress address, String what) {
            Objects.requireNonNull(address, what);
            if (address.isUnresolved()) {
                throw new IllegalArgumentException(what + " must be an address, not the name " + address.getHostString());
            }
        }
    }

    /**
     * AF_UNIX endpoints: paths up to 108 bytes, kept as bytes because Linux paths need not be text.
     * An empty path is an unnamed socket.
     */
    record Unix(Bytes sourcePath, Bytes destinationPath) implements Endpoints {
        /** The size of {@code sun_path}, and of each path field in a v2 header. */
        public static final int MAX_PATH_LENGTH = 108;

        public Unix {
            requirePath(sourcePath, "source");
            requirePath(destinationPath, "destination");
        }

        private static void requirePath(Bytes path, String what) {
            Objects.requireNonNull(path, what);
            if (path.length() > MAX_PATH_LENGTH) {
                throw new ProxyEncodeException(Reason.PATH_TOO_LONG, what + " path is " + path.length()
                        + " bytes, longer than the " + MAX_PATH_LENGTH + " bytes AF_UNIX allows");
            }
        }
    }

    /** No usable endpoints in the header; the connection's own endpoints apply. */
    record Unspecified() implements Endpoints {
        /** The only instance anyone needs. */
        public static final Unspecified INSTANCE = new Unspecified();
    }
}
