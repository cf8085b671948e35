package dev.proxyline.server.http.proxy;

import dev.proxyline.config.Redirects;
import dev.proxyline.server.http.realip.AddressText;
import java.net.InetSocketAddress;

/**
 * nginx's {@code absolute_redirect}, {@code server_name_in_redirect} and {@code port_in_redirect}: a Location that
 * starts with a slash, of an own answer or made by {@code proxy_redirect}, becomes a URL as nginx's header filter
 * makes it. The scheme is the connection's; the host the request's Host (without its port), the server's first name
 * with {@code server_name_in_redirect on}, or the local address for a request without Host; the port the socket's
 * own local one (a PROXY header's destination does not count, as in nginx), left out when it is the scheme's.
 */
record RedirectUrl(boolean absolute, boolean serverName, boolean port) {
    static final RedirectUrl DEFAULTS = new RedirectUrl(true, false, true);

    static RedirectUrl of(Redirects redirects) {
        return new RedirectUrl(redirects.absolute(), redirects.serverNameIn(), redirects.portIn());
    }

    /** {@code location} as the client gets it. */
    String location(String location, RequestFacts facts) {
        if (!absolute || location.isEmpty() || location.charAt(0) != '/') return location;
        String scheme = facts.connection.scheme();
        String host = serverName ? facts.serverName
                : facts.hostSent ? facts.host : AddressText.addr(facts.connection.local());
        int local = facts.connection.local() instanceof InetSocketAddress inet ? inet.getPort() : 0;
        boolean shown = port && local != 0 && local != (scheme.equals("https") ? 443 : 80);
        StringBuilder url = new StringBuilder(scheme.length() + host.length() + location.length() + 9);
        url.append(scheme).append("://").append(host);
        if (shown) url.append(':').append(local);
        return url.append(location).toString();
    }
}
