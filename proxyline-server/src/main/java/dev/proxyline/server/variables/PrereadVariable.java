package dev.proxyline.server.variables;

import dev.proxyline.server.stream.preread.ClientHello;
import java.util.Locale;
import java.util.Optional;

/**
 * The variables of {@code ssl_preread} (stream only), from the client's ClientHello. Not found when the server
 * has {@code ssl_preread off} or the client's first bytes were not a TLS ClientHello nginx can read; empty for a
 * hello without the extension, or one not complete when the session ended.
 */
public enum PrereadVariable implements Variable {
    /** The first host name of the {@code server_name} extension. */
    SSL_PREREAD_SERVER_NAME,
    /** The ALPN protocols, joined by {@code ","}. */
    SSL_PREREAD_ALPN_PROTOCOLS,
    /** The protocol version as OpenSSL names it ({@code TLSv1.3}). */
    SSL_PREREAD_PROTOCOL;

    private final String variableName = name().toLowerCase(Locale.ROOT);

    @Override
    public String variableName() {
        return variableName;
    }

    @Override
    public boolean appendTo(SessionSnapshot session, StringBuilder out) {
        Optional<ClientHello> preread = session.preread();
        if (preread.isEmpty()) {
            return false;
        }
        ClientHello hello = preread.get();
        out.append(switch (this) {
            case SSL_PREREAD_SERVER_NAME -> hello.serverName();
            case SSL_PREREAD_ALPN_PROTOCOLS -> hello.alpnProtocols();
            case SSL_PREREAD_PROTOCOL -> hello.protocol();
        });
        return true;
    }
}
