package dev.proxyline.server.stream.preread;

import java.util.Objects;

/**
 * What {@code ssl_preread} takes from a client's TLS ClientHello, as nginx's
 * {@code ngx_stream_ssl_preread_module} does.
 *
 * @param version       the protocol version nginx reports: {@code 0x0304} when the hello has a
 *                      {@code supported_versions} extension, else its {@code legacy_version}
 *                      ({@code 0x0002} for an SSLv2-style hello)
 * @param serverName    the first host name of the {@code server_name} extension, bytes as chars 0-255, empty
 *                      for none ({@code $ssl_preread_server_name})
 * @param alpnProtocols the ALPN protocol names joined by {@code ","}, bytes as chars 0-255, empty for none
 *                      ({@code $ssl_preread_alpn_protocols})
 */
public record ClientHello(int version, String serverName, String alpnProtocols) {
    /** What the variables show for a hello that was not complete when the session ended. */
    public static final ClientHello INCOMPLETE = new ClientHello(0, "", "");

    public ClientHello {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(alpnProtocols, "alpnProtocols");
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException("version " + version + " (expected 0x0000-0xFFFF)");
        }
    }

    /** {@code $ssl_preread_protocol}: OpenSSL's name of the version ("TLSv1.3"), empty for one it has none for. */
    public String protocol() {
        return switch (version) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> "";
        };
    }
}
