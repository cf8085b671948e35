package dev.proxyline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an http server's TLS handshakes go beyond certificates, protocols and ciphers: nginx's {@code ssl_ecdh_curve},
 * {@code ssl_dhparam}, {@code ssl_session_tickets}, {@code ssl_session_ticket_key}, {@code ssl_reject_handshake} and
 * the {@code ssl_conf_command}s that mean one of them.
 *
 * @param curves          the key exchange groups in the server's order; empty for {@code auto} (the TLS stack's list)
 * @param dhparam         {@code ssl_dhparam}: without it DHE suites are not offered, as in nginx
 * @param tickets         {@code ssl_session_tickets}
 * @param ticketKeys      {@code ssl_session_ticket_key} files: the first encrypts new tickets, all decrypt
 * @param rejectHandshake {@code ssl_reject_handshake}: a handshake that selects this server is refused with an alert
 * @param openSslOnly     the directives set here that only the OpenSSL engine honours, with where they were set
 *                        (directive name to position), so that a server on the JDK's engine can refuse them by place
 */
public record TlsHandshake(List<String> curves, Optional<ClientVerify.File> dhparam, boolean tickets,
                           List<ClientVerify.File> ticketKeys, boolean rejectHandshake,
                           Map<String, Position> openSslOnly) {
    /** nginx's defaults: {@code auto} curves, no DH parameters, tickets on with keys of the process's own. */
    public static final TlsHandshake DEFAULTS = new TlsHandshake(List.of(), Optional.empty(), true, List.of(), false,
            Map.of());

    public TlsHandshake {
        curves = List.copyOf(curves);
        Objects.requireNonNull(dhparam, "dhparam");
        ticketKeys = List.copyOf(ticketKeys);
        openSslOnly = Collections.unmodifiableMap(new LinkedHashMap<>(openSslOnly));
    }
}
