package dev.proxyline.server.tls;

import dev.proxyline.config.HttpSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS settings of one {@code server} on an {@code ssl} socket. Servers with equal settings share one
 * engine context, so this is compared by value.
 *
 * @param certificates one per key type (nginx's several {@code ssl_certificate}s: an RSA and an ECDSA one,
 *                     chosen per client by what it supports)
 * @param protocols    {@code ssl_protocols}, as the engines name them ({@code TLSv1.2}, {@code TLSv1.3})
 * @param ciphers      {@code ssl_ciphers}, an OpenSSL cipher string
 * @param sessions     {@code ssl_session_cache}, {@code ssl_session_timeout}, {@code ssl_session_tickets}
 * @param clientVerify {@code ssl_verify_client} and its files
 * @param handshake    {@code ssl_ecdh_curve}, {@code ssl_dhparam}, tickets and {@code ssl_reject_handshake}
 * @param stapling     {@code ssl_stapling on} and its settings; empty when off
 */
public record ServerTls(List<CertificateSource> certificates, List<String> protocols, String ciphers,
                        HttpSettings.Sessions sessions, ClientVerifyFiles clientVerify,
                        ServerHandshake handshake, Optional<StaplingFiles> stapling) {
    public ServerTls {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(stapling, "stapling");
        Objects.requireNonNull(clientVerify, "clientVerify");
        Objects.requireNonNull(sessions, "sessions");
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(ciphers, "ciphers");
        if (certificates.isEmpty()) throw new IllegalArgumentException("no certificate");
        if (protocols.isEmpty()) throw new IllegalArgumentException("no protocol");
    }
}
