package dev.proxyline.server.tls;

import dev.proxyline.config.InetLiteral;
import dev.proxyline.server.http.realip.AddressText;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * An OCSP responder's {@code http://} URL (the certificate's or {@code ssl_stapling_responder}'s) as an address to
 * ask. Names are not resolved: an IP literal, or {@code localhost}, which nginx resolves at start to the loopback
 * address; any other name waits for {@code resolver} support.
 *
 * @param uri  where to send the request, with the address in place of the name
 * @param host the host as written, for the Host field and the log
 */
record OcspResponderUrl(URI uri, String host) {
    private static final String PREFIX = "http://";

    /** The URL, or why it cannot be asked, in nginx's words where nginx has them. */
    sealed interface Parsed {
    }

    record Usable(OcspResponderUrl url) implements Parsed {
    }

    record Unusable(String problem) implements Parsed {
    }

    static Parsed parse(String url) {
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return new Unusable("invalid URL prefix in OCSP responder \"" + url + "\"");
        }
        String rest = url.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        String host = authority;
        int port = 80;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']', colon) < 0) {
            host = authority.substring(0, colon);
            port = AddressText.port(authority.substring(colon + 1));
            if (port < 1) return new Unusable("invalid port in OCSP responder \"" + url + "\"");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Optional<InetAddress> address = host.toLowerCase(Locale.ROOT).equals("localhost")
                ? Optional.of(InetAddress.getLoopbackAddress()) : InetLiteral.parse(literal);
        if (address.isEmpty()) {
            return new Unusable("the OCSP responder \"" + url + "\" names a host, which proxyline resolves only "
                    + "with \"resolver\" (not yet supported here): write its IP address");
        }
        String hostPort = (address.get().getAddress().length == 16 ? "[" + address.get().getHostAddress() + "]"
                : address.get().getHostAddress()) + ":" + port;
        try {
            return new Usable(new OcspResponderUrl(URI.create(PREFIX + hostPort + path), host));
        } catch (IllegalArgumentException e) {
            return new Unusable("invalid OCSP responder \"" + url + "\" (" + e.getMessage() + ")");
        }
    }
}
