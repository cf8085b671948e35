package dev.proxyline.server.variables;

import dev.proxyline.protocol.ProxyHeader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
            Optional<InetSocketAddress> source = s.header().flatMap(ProxyHeader::sourceAddress);
            source.ifPresent(a -> Addresses.appendAddress(out, a.getAddress()));
            return source.isPresent();
        }
    },
    /** The source port of the PROXY header. */
    PROXY_PROTOCOL_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Optional<InetSocketAddress> source = s.header().flatMap(ProxyHeader::sourceAddress);
            source.ifPresent(a -> out.append(a.getPort()));
            return source.isPresent();
        }
    },
    /** The destination address of the PROXY header. */
    PROXY_PROTOCOL_SERVER_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Optional<InetSocketAddress> target = s.header().flatMap(ProxyHeader::destinationAddress);
            target.ifPresent(a -> Addresses.appendAddress(out, a.getAddress()));
            return target.isPresent();
        }
    },
    /** The destination port of the PROXY header. */
    PROXY_PROTOCOL_SERVER_PORT {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Optional<InetSocketAddress> target = s.header().flatMap(ProxyHeader::destinationAddress);
            target.ifPresent(a -> out.append(a.getPort()));
            return target.isPresent();
        }
    },
    /** The socket's local address: realip changes only the client side, as in nginx. */
    SERVER_ADDR {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            Addresses.appendAddress(out, s.local());
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
                if (i > 0) {
                    out.append(", ");
                }
                out.append(attempts.get(i).address());
            }
            return !attempts.isEmpty();
        }
    },
    /** Connect time of every attempt, {@code "0.001, -"}, {@code -} for one that did not connect. */
    UPSTREAM_CONNECT_TIME {
        @Override
        public boolean appendTo(SessionSnapshot s, StringBuilder out) {
            List<UpstreamAttempt> attempts = s.upstreams();
            for (int i = 0; i < attempts.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                long ms = attempts.get(i).connectMillis();
                if (ms == UpstreamAttempt.NOT_CONNECTED) {
                    out.append('-');
                } else {
                    Addresses.appendSecondsMillis(out, ms);
                }
            }
            return !attempts.isEmpty();
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
            int status = s.status();
            if (status < 100) {
                out.append('0');
            }
            if (status < 10) {
                out.append('0');
            }
            out.append(status);
            return true;
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

    @Override
    public String variableName() {
        return variableName;
    }
}
