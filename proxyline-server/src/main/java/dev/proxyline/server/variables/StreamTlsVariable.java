package dev.proxyline.server.variables;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The variables of nginx's stream ssl module, from the handshake of a {@code listen ... ssl} session: not found on
 * a plain session; after a failed handshake, what {@link SessionTls#failed} keeps. As nginx 1.22's stream module logs
 * them, a server name or ALPN protocol the client did not send is not found either ({@code -} in a log), not empty.
 */
public enum StreamTlsVariable implements Variable {
    /** The protocol, {@code TLSv1.3}; not found after a failed handshake. */
    SSL_PROTOCOL {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            return appendPresent(Optional.of(tls.facts().protocol()), out);
        }
    },
    /** The cipher suite with OpenSSL's name, {@code ECDHE-RSA-AES256-GCM-SHA384}. */
    SSL_CIPHER {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().cipher());
            return true;
        }
    },
    /** The SNI name the client sent. */
    SSL_SERVER_NAME {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            return appendPresent(tls.facts().serverName(), out);
        }
    },
    /** The ALPN protocol {@code ssl_alpn} agreed on. */
    SSL_ALPN_PROTOCOL {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            return appendPresent(tls.facts().alpn(), out);
        }
    },
    /** The session id, lower-case hex; not found when the engine gave the session none. */
    SSL_SESSION_ID {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            if (tls.sessionId().length == 0) {
                return false;
            }
            out.append(HexFormat.of().formatHex(tls.sessionId()));
            return true;
        }
    },
    /** {@code r} for a resumed session, {@code .} for a new one. */
    SSL_SESSION_REUSED {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.reused() ? 'r' : '.');
            return true;
        }
    },
    /** {@code SUCCESS}, {@code FAILED:reason} or {@code NONE} (no certificate, or none asked for). */
    SSL_CLIENT_VERIFY {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().verify());
            return true;
        }
    },
    /** The client certificate's subject, RFC 2253; empty without one. */
    SSL_CLIENT_S_DN {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().subject());
            return true;
        }
    },
    /** The client certificate's issuer, RFC 2253; empty without one. */
    SSL_CLIENT_I_DN {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().issuer());
            return true;
        }
    },
    /** The client certificate's serial number, upper-case hex. */
    SSL_CLIENT_SERIAL {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().serial());
            return true;
        }
    },
    /** The SHA-1 of the client certificate, lower-case hex. */
    SSL_CLIENT_FINGERPRINT {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().fingerprint());
            return true;
        }
    },
    /** The client certificate in PEM. */
    SSL_CLIENT_RAW_CERT {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().pem());
            return true;
        }
    },
    /** The client certificate in PEM, a tab before every line but the first. */
    SSL_CLIENT_CERT {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().tabbedPem());
            return true;
        }
    },
    /** The client certificate in PEM, URL-encoded. */
    SSL_CLIENT_ESCAPED_CERT {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().escapedPem());
            return true;
        }
    },
    /** When the client certificate becomes valid, {@code Nov  7 12:02:29 2026 GMT}. */
    SSL_CLIENT_V_START {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().notBefore());
            return true;
        }
    },
    /** When the client certificate expires. */
    SSL_CLIENT_V_END {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().notAfter());
            return true;
        }
    },
    /** Whole days until the client certificate expires. */
    SSL_CLIENT_V_REMAIN {
        @Override
        boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out) {
            out.append(tls.facts().client().daysRemaining(session.nowMillis()));
            return true;
        }
    };

    private final String variableName = name().toLowerCase(Locale.ROOT);

    @Override
    public String variableName() {
        return variableName;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        Optional<SessionTls> tls = session.tls();
        return tls.isPresent() && append(tls.get(), session, out);
    }

    abstract boolean append(SessionTls tls, SessionSnapshot session, StringBuilder out);

    private static boolean appendPresent(Optional<String> value, StringBuilder out) {
        if (value.isEmpty() || value.get().isEmpty()) {
            return false;
        }
        out.append(value.get());
        return true;
    }
}
