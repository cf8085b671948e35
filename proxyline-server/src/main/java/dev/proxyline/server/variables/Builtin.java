package dev.proxyline.server.variables;

import dev.proxyline.protocol.ProxyHeader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** The stream variables computed from the session alone, each as nginx's stream module computes it. */
public enum Builtin implements Variable {
    /** The client address, after realip. */
    REMOTE_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendAddress(out, s.remote());
            return true;
        }
    },
    /** The client port, after realip; empty for AF_UNIX. */
    REMOTE_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendPort(out, s.remote());
            return true;
        }
    },
    /** The socket peer, whatever realip did (nginx: the original client address). */
    REALIP_REMOTE_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendAddress(out, s.peer());
            return true;
        }
    },
    /** The socket peer's port. */
    REALIP_REMOTE_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendPort(out, s.peer());
            return true;
        }
    },
    /** The source address of the PROXY header, trusted or not; not found without an IP header. */
    PROXY_PROTOCOL_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendHeaderAddress(s.header().flatMap(ProxyHeader::sourceAddress), out);
        }
    },
    /** The source port of the PROXY header. */
    PROXY_PROTOCOL_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendHeaderPort(s.header().flatMap(ProxyHeader::sourceAddress), out);
        }
    },
    /** The destination address of the PROXY header. */
    PROXY_PROTOCOL_SERVER_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendHeaderAddress(s.header().flatMap(ProxyHeader::destinationAddress), out);
        }
    },
    /** The destination port of the PROXY header. */
    PROXY_PROTOCOL_SERVER_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendHeaderPort(s.header().flatMap(ProxyHeader::destinationAddress), out);
        }
    },
    /** The socket's local address: realip changes only the client side, as in nginx. */
    SERVER_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendLocalAddress(out, s.local());
            return true;
        }
    },
    /** The socket's local port. */
    SERVER_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendPort(out, s.local());
            return true;
        }
    },
    /** Every upstream tried, {@code "a, b"}; not found before the first attempt. */
    UPSTREAM_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            List<UpstreamAttempt> attempts = s.upstreams();
            for (int i = 0; i < attempts.size(); i++) {
                if (!UpstreamAttempt.separate(attempts, i, out)) continue;
                out.append(attempts.get(i).address());
            }
            return !attempts.isEmpty();
        }
    },
    /** Connect time of every attempt, {@code "0.001, -"}, {@code -} for one that did not connect. */
    UPSTREAM_CONNECT_TIME {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendTimes(s, out, UpstreamAttempt::connectMillis);
        }
    },
    /** Time to the first byte from each upstream. */
    UPSTREAM_FIRST_BYTE_TIME {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendTimes(s, out, UpstreamAttempt::firstByteMillis);
        }
    },
    /** Duration of each upstream connection. */
    UPSTREAM_SESSION_TIME {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendTimes(s, out, UpstreamAttempt::sessionMillis);
        }
    },
    /** Bytes sent to each upstream. */
    UPSTREAM_BYTES_SENT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendCounts(s, out, UpstreamAttempt::bytesSent);
        }
    },
    /** Bytes received from each upstream. */
    UPSTREAM_BYTES_RECEIVED {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            return appendCounts(s, out, UpstreamAttempt::bytesReceived);
        }
    },
    /** The client address after realip in binary form: 4 bytes for IPv4, 16 for IPv6. */
    BINARY_REMOTE_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            if (s.remote() instanceof InetSocketAddress inet && inet.getAddress() != null) {
                ByteStrings.appendBytes(out, inet.getAddress().getAddress());
            }
            return true;
        }
    },
    /** Bytes sent to the client. */
    BYTES_SENT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            out.append(s.bytesSent());
            return true;
        }
    },
    /** Bytes received from the client. */
    BYTES_RECEIVED {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            out.append(s.bytesReceived());
            return true;
        }
    },
    /** Session duration in seconds with millisecond resolution, {@code 1.234}. */
    SESSION_TIME {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendSecondsMillis(out, s.nowMillis() - s.startMillis());
            return true;
        }
    },
    /** The session status, three digits as nginx's {@code %03ui}. */
    STATUS {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendThreeDigits(out, s.status());
            return true;
        }
    },
    /** {@code PASSED}, {@code REJECTED} or {@code REJECTED_DRY_RUN}; not found when no {@code limit_conn} counted. */
    LIMIT_CONN_STATUS {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            out.append(s.limitConnStatus());
            return !s.limitConnStatus().isEmpty();
        }
    },
    /** The connection serial number. */
    CONNECTION {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            out.append(s.connection());
            return true;
        }
    },
    /** The snapshot time in seconds with millisecond resolution. */
    MSEC {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendSecondsMillis(out, s.nowMillis());
            return true;
        }
    },
    /** The protocol of the session; proxyline's stream module relays TCP only. */
    PROTOCOL {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            out.append("TCP");
            return true;
        }
    };

    private final String variableName = name().toLowerCase(Locale.ROOT);

    /** An address of the PROXY header; not found when it carries none (LOCAL, UNKNOWN, AF_UNIX, no header). */
    private static boolean appendHeaderAddress(Optional<InetSocketAddress> endpoint, StringBuilder out) {
        if (endpoint.isEmpty()) {
            return false;
        }
        Addresses.appendAddress(out, endpoint.get().getAddress());
        return true;
    }

    /** A port of the PROXY header; not found when it carries no address. */
    private static boolean appendHeaderPort(Optional<InetSocketAddress> endpoint, StringBuilder out) {
        if (endpoint.isEmpty()) {
            return false;
        }
        out.append(endpoint.get().getPort());
        return true;
    }

    /**
     * Per attempt, {@code ", "} between them ({@code " : "} between exchanges), {@code -} for an unknown time; not
     * found without attempts.
     */
    static boolean appendTimes(SessionSnapshot s, StringBuilder out, ToLongFunction<UpstreamAttempt> time) {
        List<UpstreamAttempt> attempts = s.upstreams();
        for (int i = 0; i < attempts.size(); i++) {
            if (!UpstreamAttempt.separate(attempts, i, out)) continue;
            long ms = time.applyAsLong(attempts.get(i));
            if (ms == UpstreamAttempt.NONE) {
                out.append('-');
            } else {
                Addresses.appendSecondsMillis(out, ms);
            }
        }
        return !attempts.isEmpty();
    }

    private static boolean appendCounts(SessionSnapshot s, StringBuilder out, ToLongFunction<UpstreamAttempt> count) {
        List<UpstreamAttempt> attempts = s.upstreams();
        for (int i = 0; i < attempts.size(); i++) {
            if (!UpstreamAttempt.separate(attempts, i, out)) continue;
            out.append(count.applyAsLong(attempts.get(i)));
        }
        return !attempts.isEmpty();
    }

    @Override
    public String variableName() {
        return variableName;
    }
}
