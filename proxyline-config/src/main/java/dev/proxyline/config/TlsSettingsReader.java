package dev.proxyline.config;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a server's TLS termination settings ({@link HttpSettings.Tls}: certificates, protocols, ciphers, sessions,
 * client verification, handshake options) from an http or stream scope: nginx's http and stream ssl modules take
 * the same directives with the same meaning, so both contexts read them here.
 */
final class TlsSettingsReader {
    private final ArgReader r;

    TlsSettingsReader(ArgReader r) {
        this.r = r;
    }

    HttpSettings.Tls read(Scope s) {
        s.local("ssl_prefer_server_ciphers").forEach(this::checkPreferServerCiphers);
        return new HttpSettings.Tls(
                s.all("ssl_certificate").stream().map(d -> d.arg(0).value()).toList(),
                s.all("ssl_certificate_key").stream().map(d -> d.arg(0).value()).toList(),
                s.get("ssl_protocols").map(this::protocols).orElse(HttpSettings.Tls.DEFAULT_PROTOCOLS),
                s.get("ssl_ciphers").map(d -> d.arg(0).value()).orElse(HttpSettings.Tls.DEFAULT_CIPHERS),
                s.all("ssl_certificate").stream().map(d -> d.arg(0).position()).toList(),
                s.all("ssl_certificate_key").stream().map(d -> d.arg(0).position()).toList(),
                sessions(s), new ClientVerifyReader(r).read(s), new TlsHandshakeReader(r).read(s),
                new StaplingReader(r).read(s));
    }

    /** proxyline's TLS stacks always choose by the server's order, which is what {@code on} asks for. */
    private void checkPreferServerCiphers(Directive d) {
        r.flag(d, d.arg(0)).filter(on -> !on).ifPresent(off -> r.errors().warn(d.position(),
                "\"ssl_prefer_server_ciphers off\" is ignored: proxyline always chooses by the order of its own "
                        + "ciphers (ssl_ciphers), as \"on\" does"));
    }

    private HttpSettings.Sessions sessions(Scope s) {
        HttpSettings.Sessions d = HttpSettings.Sessions.DEFAULTS;
        boolean cache = d.cache();
        int size = d.cacheSize();
        Optional<Directive> cacheDirective = s.get("ssl_session_cache");
        if (cacheDirective.isPresent()) {
            cache = false;
            for (Argument a : cacheDirective.get().args()) {
                String v = a.value();
                if (v.equals("off") || v.equals("none")) {
                    continue;
                }
                if (v.equals("builtin")) {
                    cache = true;
                } else if (v.startsWith("builtin:")) {
                    OptionalInt n = r.intInRange(cacheDirective.get(), a, v.substring(8), 1, Integer.MAX_VALUE);
                    cache = true;
                    size = Math.max(size, n.orElse(0));
                } else if (v.startsWith("shared:") && v.indexOf(':', 7) > 7) {
                    // nginx: one megabyte holds about 4000 sessions.
                    OptionalLong bytes = r.size(cacheDirective.get(), new Argument(v.substring(v.indexOf(':', 7) + 1),
                            a.position(), false));
                    cache = true;
                    size = (int) Math.max(size, Math.min(Integer.MAX_VALUE, bytes.orElse(0) * 4000 / (1 << 20)));
                } else {
                    r.error(a, "invalid value \"" + v + "\" in \"ssl_session_cache\" (expected off, none, "
                            + "builtin[:SIZE] or shared:NAME:SIZE)");
                }
            }
        }
        return new HttpSettings.Sessions(cache, size,
                s.get("ssl_session_timeout").flatMap(t -> r.duration(t, t.arg(0))).orElse(d.timeout()));
    }

    private Set<String> protocols(Directive d) {
        return TlsVersions.read(r, d, HttpSettings.Tls.DEFAULT_PROTOCOLS);
    }
}
