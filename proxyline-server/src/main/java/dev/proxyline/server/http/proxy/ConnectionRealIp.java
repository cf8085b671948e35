package dev.proxyline.server.http.proxy;

import dev.proxyline.server.http.realip.ForwardedHeaders;
import dev.proxyline.server.http.realip.Headers;
import dev.proxyline.server.http.realip.RealIp;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * realip's answers that depend only on the connection, worked out once for its requests: parsing the
 * PROXY header's source and matching addresses against {@code set_real_ip_from} per request showed in
 * the request path's profile. Kept for the last {@link RealIp} asked about (one per location), so a
 * connection whose requests go to locations with other settings still gets their answers.
 */
final class ConnectionRealIp {
    private final RealIp.Connection connection;
    private RealIp realIp;
    private SocketAddress hop;
    private boolean hopTrusted;
    private RealIp.Result fixedClient; // null when realIp reads the request headers
    private String fixedClientAddr; // fixedClient's $remote_addr, formatted once

    ConnectionRealIp(RealIp.Connection connection) {
        this.connection = connection;
    }

    RealIp.Connection connection() {
        return connection;
    }

    /** realip's outcome for one request; {@code headers} are built only if the module reads them. */
    RealIp.Result resolve(RealIp module, Supplier<Headers> headers) {
        learn(module);
        return fixedClient != null ? fixedClient : module.resolve(connection, headers.get());
    }

    /** The forwarding headers' view of one request whose client {@code client} is resolved. */
    ForwardedHeaders.Request request(RealIp module, RealIp.Result client, Headers headers, String scheme, String host,
                                     String port, String requestUri) {
        learn(module);
        String remoteAddr = client == fixedClient ? fixedClientAddr : client.remoteAddr();
        return new ForwardedHeaders.Request(headers, client, remoteAddr, hop, hopTrusted, scheme, host, port,
                requestUri);
    }

    private void learn(RealIp module) {
        if (module == realIp) return;
        realIp = module;
        hop = ForwardedHeaders.Request.hop(module, connection);
        hopTrusted = module.trusts(hop);
        fixedClient = module.readsHeaders(connection) ? null : module.resolve(connection, Headers.of());
        fixedClientAddr = fixedClient == null ? null : fixedClient.remoteAddr();
    }
}
