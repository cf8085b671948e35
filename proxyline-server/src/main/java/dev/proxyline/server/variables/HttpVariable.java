package dev.proxyline.server.variables;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The http variables with fixed names, each computed as nginx's http modules compute it from the
 * request's {@link HttpExchange}. In a stream session (no exchange) they are not found, except the
 * few that the stream module has too ({@code $status}, {@code $bytes_sent},
 * {@code $realip_remote_addr}, {@code $realip_remote_port}), which then keep their stream meaning.
 */
public enum HttpVariable implements Variable {
    /** The request line, {@code GET /x?a=1 HTTP/1.1}; for HTTP/2 nginx writes {@code HTTP/2.0} too. */
    REQUEST {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.lineMethod()).append(' ').append(x.requestUri()).append(' ').append(x.protocol());
            return true;
        }
    },
    /** The method, {@code GET}. */
    REQUEST_METHOD {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.method());
            return true;
        }
    },
    /** The request target as received, with its arguments. */
    REQUEST_URI {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.requestUri());
            return true;
        }
    },
    /** The normalized path, without arguments. */
    URI {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.uri());
            return true;
        }
    },
    /** The same as {@code $uri}. */
    DOCUMENT_URI {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.uri());
            return true;
        }
    },
    /** The query without {@code ?}; not found when the target has no {@code ?}, empty after a bare {@code ?}. */
    ARGS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return appendArgs(x, out);
        }
    },
    /** The same as {@code $args}. */
    QUERY_STRING {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return appendArgs(x, out);
        }
    },
    /** {@code ?} when there are arguments, else empty. */
    IS_ARGS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (!x.args().isEmpty()) {
                out.append('?');
            }
            return true;
        }
    },
    /** The Host header (or HTTP/2 {@code :authority}) in lower case without port, else the server name. */
    HOST {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.host());
            return true;
        }
    },
    /** {@code http} or {@code https}. */
    SCHEME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.scheme());
            return true;
        }
    },
    /** {@code on} over TLS, else empty. */
    HTTPS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isPresent()) {
                out.append("on");
            }
            return true;
        }
    },
    /** The first name of the server block that took the request. */
    SERVER_NAME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            ByteStrings.appendUtf8(out, x.serverName()); // configuration text, not wire bytes
            return true;
        }
    },
    /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2.0}. */
    SERVER_PROTOCOL {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.protocol());
            return true;
        }
    },
    /** The response status, three digits ({@code 000} before it is known). */
    STATUS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            Addresses.appendThreeDigits(out, x.status());
            return true;
        }

        @Override
        boolean appendStream(SessionSnapshot s, StringBuilder out) {
            return Builtin.STATUS.appendTo(s, out);
        }
    },
    /** Response body bytes sent to the client. */
    BODY_BYTES_SENT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.bodyBytesSent());
            return true;
        }
    },
    /** Response bytes sent to the client, headers included. */
    BYTES_SENT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.bytesSent());
            return true;
        }

        @Override
        boolean appendStream(SessionSnapshot s, StringBuilder out) {
            return Builtin.BYTES_SENT.appendTo(s, out);
        }
    },
    /** Request bytes received: request line, headers and body. */
    REQUEST_LENGTH {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.requestLength());
            return true;
        }
    },
    /** Seconds with milliseconds from the first request byte to the snapshot, {@code 0.003}. */
    REQUEST_TIME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            Addresses.appendSecondsMillis(out, s.nowMillis() - x.requestStartMillis());
            return true;
        }
    },
    /** The request id: 32 hex digits, or a trusted hop's {@code X-Request-ID}. */
    REQUEST_ID {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.requestId());
            return true;
        }
    },
    /** The address realip started from: the socket peer, or the PROXY header's source behind it. */
    REALIP_REMOTE_ADDR {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            Addresses.appendAddress(out, x.realipRemote());
            return true;
        }

        @Override
        boolean appendStream(SessionSnapshot s, StringBuilder out) {
            return Builtin.REALIP_REMOTE_ADDR.appendTo(s, out);
        }
    },
    /** The port realip started from. */
    REALIP_REMOTE_PORT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            Addresses.appendPort(out, x.realipRemote());
            return true;
        }

        @Override
        boolean appendStream(SessionSnapshot s, StringBuilder out) {
            return Builtin.REALIP_REMOTE_PORT.appendTo(s, out);
        }
    },
    /** The request's {@code X-Forwarded-For} headers and {@code ", $remote_addr"}, or {@code $remote_addr} alone. */
    PROXY_ADD_X_FORWARDED_FOR {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (HttpFields.appendHeaders(x.requestHeaders(), "x_forwarded_for", ',', out)) {
                out.append(", ");
            }
            Addresses.appendAddress(out, s.remote());
            return true;
        }
    },
    /**
     * The user name of {@code Authorization: Basic} credentials, whether or not anything checks them
     * (nginx shows it the same way); not found without such credentials.
     */
    REMOTE_USER {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            Optional<BasicCredentials> credentials = x.requestHeader("authorization").flatMap(BasicCredentials::parse);
            credentials.ifPresent(c -> out.append(c.user()));
            return credentials.isPresent();
        }
    },
    /**
     * The status of each upstream attempt, {@code "502, 200"}: {@code -} for one without a response,
     * {@code 502} for one that could not connect and got no status, as nginx.
     */
    UPSTREAM_STATUS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            List<UpstreamAttempt> attempts = s.upstreams();
            List<Integer> statuses = x.upstreamStatuses();
            for (int i = 0; i < attempts.size(); i++) {
                if (!UpstreamAttempt.separate(attempts, i, out)) continue;
                int status = i < statuses.size() ? statuses.get(i) : 0;
                if (status == 0 && attempts.get(i).connectMillis() == UpstreamAttempt.NONE) {
                    status = 502;
                }
                if (status == 0) {
                    out.append('-');
                } else {
                    out.append(status);
                }
            }
            return !attempts.isEmpty();
        }
    },
    /** Per attempt, the time from its start to the end of the upstream response. */
    UPSTREAM_RESPONSE_TIME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return Builtin.appendTimes(s, out, UpstreamAttempt::sessionMillis);
        }
    },
    /** Per attempt, the time from its start to the first byte of the upstream response. */
    UPSTREAM_HEADER_TIME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return Builtin.appendTimes(s, out, UpstreamAttempt::firstByteMillis);
        }
    },
    /** The TLS protocol, {@code TLSv1.3}; not found on a plain connection. */
    SSL_PROTOCOL {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            out.append(x.tls().get().protocol());
            return true;
        }
    },
    /** The cipher suite with OpenSSL's name ({@code ECDHE-RSA-AES128-GCM-SHA256}); not found on a plain connection. */
    SSL_CIPHER {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            out.append(x.tls().get().cipher());
            return true;
        }
    },
    /** The SNI name, empty when the client sent none; not found on a plain connection. */
    SSL_SERVER_NAME {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            out.append(x.tls().get().serverName().orElse(""));
            return true;
        }
    },
    /** The ALPN protocol agreed, empty when none was; not found on a plain connection. */
    SSL_ALPN_PROTOCOL {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            out.append(x.tls().get().alpn().orElse(""));
            return true;
        }
    },
    /** {@code SUCCESS}, {@code FAILED:reason} or {@code NONE}; not found on a plain connection. */
    SSL_CLIENT_VERIFY {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.verify());
            return true;
        }
    },
    /** The client certificate's subject, RFC 2253 as nginx 1.11.6+; empty without one; not found on a plain connection. */
    SSL_CLIENT_S_DN {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.subject());
            return true;
        }
    },
    /** The client certificate's issuer, RFC 2253; not found on a plain connection. */
    SSL_CLIENT_I_DN {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.issuer());
            return true;
        }
    },
    /** The client certificate's serial number, upper-case hex; not found on a plain connection. */
    SSL_CLIENT_SERIAL {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.serial());
            return true;
        }
    },
    /** The SHA-1 of the client certificate, lower-case hex; not found on a plain connection. */
    SSL_CLIENT_FINGERPRINT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.fingerprint());
            return true;
        }
    },
    /** The client certificate in PEM; not found on a plain connection. */
    SSL_CLIENT_RAW_CERT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.pem());
            return true;
        }
    },
    /** The client certificate in PEM, a tab before every line but the first (for a header); not found on a plain connection. */
    SSL_CLIENT_CERT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.tabbedPem());
            return true;
        }
    },
    /** The client certificate in PEM, URL-encoded; not found on a plain connection. */
    SSL_CLIENT_ESCAPED_CERT {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.escapedPem());
            return true;
        }
    },
    /** When the client certificate becomes valid, {@code Nov  7 12:02:29 2026 GMT}; not found on a plain connection. */
    SSL_CLIENT_V_START {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.notBefore());
            return true;
        }
    },
    /** When the client certificate expires; not found on a plain connection. */
    SSL_CLIENT_V_END {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.notAfter());
            return true;
        }
    },
    /** Whole days until the client certificate expires; not found on a plain connection. */
    SSL_CLIENT_V_REMAIN {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            if (x.tls().isEmpty()) {
                return false;
            }
            ClientCertificate c = x.tls().get().client();
            out.append(c.daysRemaining(s.nowMillis()));
            return true;
        }
    },
    /** The request's {@code Content-Length} header. */
    CONTENT_LENGTH {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return HttpFields.appendFirst(x.requestHeaders(), "content_length", out);
        }
    },
    /** The request's {@code Content-Type} header. */
    CONTENT_TYPE {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            return HttpFields.appendFirst(x.requestHeaders(), "content_type", out);
        }
    },
    /** What {@code limit_req} decided: PASSED, DELAYED, REJECTED, DELAYED_DRY_RUN or REJECTED_DRY_RUN. */
    LIMIT_REQ_STATUS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.limitReqStatus());
            return !x.limitReqStatus().isEmpty();
        }
    },
    /** What {@code limit_conn} decided: PASSED, REJECTED or REJECTED_DRY_RUN. */
    LIMIT_CONN_STATUS {
        @Override
        boolean append(HttpExchange x, SessionSnapshot s, StringBuilder out) {
            out.append(x.limitConnStatus());
            return !x.limitConnStatus().isEmpty();
        }
    };

    private final String variableName = name().toLowerCase(Locale.ROOT);

    @Override
    public String variableName() {
        return variableName;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        return session.http().isPresent() ? append(session.http().get(), session, out) : appendStream(session, out);
    }

    /** The value for a request. */
    abstract boolean append(HttpExchange exchange, SessionSnapshot session, StringBuilder out);

    /** The value for a stream session: not found, unless the stream module has the name too. */
    boolean appendStream(SessionSnapshot session, StringBuilder out) {
        return false;
    }

    private static boolean appendArgs(HttpExchange x, StringBuilder out) {
        if (x.args().isEmpty() && x.requestUri().indexOf('?') < 0) {
            return false;
        }
        out.append(x.args());
        return true;
    }
}
