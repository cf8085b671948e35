package dev.proxyline.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@link Stapling} from an http or server scope, inherited as nginx does. A responder URL that is not
 * {@code http://} is nginx's warning at start, not an error, so it is kept here and judged where the server starts.
 */
final class StaplingReader {
    private final ArgReader r;
    /** The server's {@code resolver}; its lines are reported on where the server is read, not here. */
    private final ResolverReader resolvers;

    StaplingReader(ArgReader r) {
        this.r = r;
        this.resolvers = new ResolverReader(r, false);
    }

    Stapling read(Scope s) {
        boolean on = s.get("ssl_stapling").flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
        boolean verify = s.get("ssl_stapling_verify").flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
        if (!on) return Stapling.OFF;
        Optional<ClientVerify.File> file = s.get("ssl_stapling_file")
                .map(d -> new ClientVerify.File(d.arg(0).value(), d.arg(0).position()));
        Optional<Stapling.Responder> responder = s.get("ssl_stapling_responder").map(this::responder);
        Optional<ClientVerify.File> trusted = s.get("ssl_trusted_certificate")
                .map(d -> new ClientVerify.File(d.arg(0).value(), d.arg(0).position()));
        return new Stapling(true, file, responder, verify, trusted, resolvers.read(s));
    }

    private Stapling.Responder responder(Directive d) {
        String url = d.arg(0).value();
        if (url.isEmpty() || url.toLowerCase(Locale.ROOT).equals("http://")) {
            r.error(d.arg(0), "invalid URL \"" + url + "\" in \"ssl_stapling_responder\" (expected "
                    + "http://ADDRESS[:PORT][/PATH])");
        }
        return new Stapling.Responder(url, d.arg(0).position());
    }
}
