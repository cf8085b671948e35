package dev.proxyline.config;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads {@link ClientOcsp} from an http or server scope, inherited as nginx does, with nginx's checks of
 * {@code ssl_ocsp_cache} and of the responder URL's scheme. The rest of the URL is judged where the server starts,
 * next to stapling's.
 */
final class ClientOcspReader {
    /** nginx's smallest shared zone: eight pages of 4096 bytes. */
    static final long SMALLEST_CACHE = 8 * 4096;
    private static final String SHARED = "shared:";

    private final ArgReader r;
    /** The server's {@code resolver}; its lines are reported on where the server is read, not here. */
    private final ResolverReader resolvers;

    ClientOcspReader(ArgReader r) {
        this.r = r;
        this.resolvers = new ResolverReader(r, false);
    }

    ClientOcsp read(Scope s) {
        ClientOcsp.Mode mode = s.get("ssl_ocsp").flatMap(this::mode).orElse(ClientOcsp.Mode.OFF);
        Optional<ClientOcsp.Cache> cache = s.get("ssl_ocsp_cache").flatMap(this::cache);
        Optional<Stapling.Responder> responder = s.get("ssl_ocsp_responder").map(this::responder);
        if (mode == ClientOcsp.Mode.OFF) return ClientOcsp.OFF;
        return new ClientOcsp(mode, responder, cache, resolvers.read(s));
    }

    private Optional<ClientOcsp.Mode> mode(Directive d) {
        String v = d.arg(0).value();
        switch (v) {
            case "on":
            case "off":
            case "leaf":
                return Optional.of(ClientOcsp.Mode.valueOf(v.toUpperCase(Locale.ROOT)));
            default:
                r.error(d.arg(0), "invalid value \"" + v + "\" in \"ssl_ocsp\" directive (expected on, off or leaf)");
                return Optional.empty();
        }
    }

    private Optional<ClientOcsp.Cache> cache(Directive d) {
        Argument a = d.arg(0);
        String v = a.value();
        if (v.equals("off")) return Optional.empty();
        int colon = v.startsWith(SHARED) ? v.indexOf(':', SHARED.length()) : -1;
        OptionalLong size = colon > SHARED.length() ? Values.size(v.substring(colon + 1)) : OptionalLong.empty();
        if (size.isEmpty()) {
            r.error(a, "invalid OCSP cache \"" + v + "\" (expected off or shared:NAME:SIZE)");
            return Optional.empty();
        }
        if (size.getAsLong() < SMALLEST_CACHE) {
            r.error(a, "OCSP cache \"" + v + "\" is too small (at least " + SMALLEST_CACHE / 1024 + "k)");
            return Optional.empty();
        }
        return Optional.of(new ClientOcsp.Cache(v.substring(SHARED.length(), colon), size.getAsLong()));
    }

    private Stapling.Responder responder(Directive d) {
        String url = d.arg(0).value();
        if (url.length() <= "http://".length() || !url.regionMatches(true, 0, "http://", 0, "http://".length())) {
            r.error(d.arg(0), "invalid URL prefix in OCSP responder \"" + url + "\" in \"ssl_ocsp_responder\" "
                    + "(expected http://ADDRESS[:PORT][/PATH])");
        }
        return new Stapling.Responder(url, d.arg(0).position());
    }
}
