package dev.proxyline.server.tls;

import dev.proxyline.config.ClientOcsp;
import dev.proxyline.config.ClientVerify;
import dev.proxyline.config.Resolver;
import dev.proxyline.config.Stapling;
import dev.proxyline.server.runtime.HostResolver;
import dev.proxyline.server.runtime.dns.DnsLookups;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a server's {@link ClientOcspCheck} at start, as nginx's {@code ngx_ssl_ocsp} does: an
 * {@code ssl_ocsp_responder} that cannot be asked stops the start (with its file:line:column), and its host name is
 * looked up now with the system's resolver; servers that name the same {@code ssl_ocsp_cache} zone share it.
 */
final class ClientOcspSetup {
    private ClientOcspSetup() {
    }

    /**
     * The check of {@code files}; empty when {@code ssl_ocsp} is off or no certificate is asked for. Problems go to
     * {@code problems}; {@code zones} holds the zones made so far, by name.
     */
    static Optional<ClientOcspCheck> forServer(ClientVerifyFiles files, Clock clock, List<String> problems,
                                               HostResolver names, Function<Resolver, Optional<DnsLookups>> lookups,
                                               Map<String, OcspStatusCache> zones) {
        ClientOcsp ocsp = files.ocsp();
        if (ocsp.mode() == ClientOcsp.Mode.OFF || files.mode() == ClientVerify.Mode.OFF) return Optional.empty();
        Optional<ClientOcspCheck.Responder> responder = Optional.empty();
        if (ocsp.responder().isPresent()) {
            responder = responder(ocsp.responder().get(), names, problems);
            if (responder.isEmpty()) return Optional.empty();
        }
        Optional<OcspStatusCache> cache = ocsp.cache()
                .map(c -> zones.computeIfAbsent(c.name(), n -> new OcspStatusCache(c.size(), clock)));
        return Optional.of(new ClientOcspCheck(ocsp.mode(), responder, ocsp.resolver().flatMap(lookups), cache,
                clock));
    }

    private static Optional<ClientOcspCheck.Responder> responder(Stapling.Responder written, HostResolver names,
                                                                 List<String> problems) {
        String where = written.position() + ": ";
        OcspResponderUrl.Parsed parsed = OcspResponderUrl.parse(written.url());
        if (parsed instanceof OcspResponderUrl.Unusable unusable) {
            problems.add(where + unusable.problem() + " in \"ssl_ocsp_responder\"");
            return Optional.empty();
        }
        OcspResponderUrl url = ((OcspResponderUrl.Usable) parsed).url();
        if (url.literal().isPresent()) return Optional.of(new ClientOcspCheck.Responder(url, List.of()));
        try {
            List<InetAddress> atStart = names.resolve(url.host());
            return Optional.of(new ClientOcspCheck.Responder(url, atStart));
        } catch (UnknownHostException e) {
            problems.add(where + "host not found in OCSP responder \"" + written.url().substring("http://".length())
                    + "\" in \"ssl_ocsp_responder\"");
            return Optional.empty();
        }
    }
}
