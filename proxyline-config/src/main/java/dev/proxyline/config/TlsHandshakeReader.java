package dev.proxyline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link TlsHandshake} from an http or server scope (inherited as nginx does), and checks a server's use of it.
 * {@code ssl_conf_command} is OpenSSL's configuration interface, which BoringSSL lacks; the commands that mean one of
 * the other directives are read as that directive, any other is refused by name.
 */
final class TlsHandshakeReader {
    private final ArgReader r;

    TlsHandshakeReader(ArgReader r) {
        this.r = r;
    }

    TlsHandshake read(Scope s) {
        Map<String, Position> openSslOnly = new LinkedHashMap<>();
        List<String> curves = s.get("ssl_ecdh_curve").map(d -> curves(d, d.arg(0), openSslOnly)).orElse(List.of());
        boolean tickets = true;
        Optional<Directive> ticketsDirective = s.get("ssl_session_tickets");
        if (ticketsDirective.isPresent()) {
            Directive d = ticketsDirective.get();
            tickets = r.flag(d, d.arg(0)).orElse(true);
            if (!tickets) openSslOnly.put("ssl_session_tickets off", d.position());
        }
        List<ClientVerify.File> keys = new ArrayList<>();
        for (Directive d : s.all("ssl_session_ticket_key")) {
            keys.add(file(d));
            openSslOnly.putIfAbsent(d.name(), d.position());
        }
        for (Directive d : s.all("ssl_conf_command")) {
            String command = d.arg(0).value().toLowerCase(Locale.ROOT);
            if (command.equals("groups") || command.equals("curves")) {
                curves = curves(d, d.arg(1), openSslOnly);
            } else if (command.equals("options")) {
                tickets = options(d, tickets, openSslOnly);
            } else {
                r.error(d.arg(0), "\"ssl_conf_command " + d.arg(0).value() + "\" is not supported: BoringSSL has no "
                        + "OpenSSL configuration commands; proxyline reads only Groups, Curves and Options "
                        + "SessionTicket, -SessionTicket, ServerPreference");
            }
        }
        boolean reject = s.get("ssl_reject_handshake").flatMap(d -> r.flag(d, d.arg(0))).orElse(false);
        return new TlsHandshake(curves, s.get("ssl_dhparam").map(this::file), tickets, keys, reject, openSslOnly);
    }

    /**
     * A server with several certificates runs on the JDK's engine (see the server's {@code ServerContexts}), which
     * has no per-server switch for curves or tickets: those settings are refused there rather than ignored.
     */
    void checkServer(HttpSettings.Tls tls) {
        if (tls.certificates().size() < 2) return;
        tls.handshake().openSslOnly().forEach((name, at) -> r.errors().add(at, "\"" + name + "\" is not supported "
                + "in a server with several ssl_certificate: it runs on the JDK's TLS engine, which has no switch for it"));
    }

    /** {@code auto} (the stack's own list) or {@code CURVE[:CURVE...]}; the names are checked when the engine loads. */
    private List<String> curves(Directive d, Argument a, Map<String, Position> openSslOnly) {
        if (a.value().equals("auto")) {
            openSslOnly.remove("ssl_ecdh_curve");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String name : a.value().split(":", -1)) {
            if (name.isEmpty()) {
                r.error(a, "invalid value \"" + a.value() + "\" in \"" + d.name() + "\" (expected auto or "
                        + "CURVE[:CURVE...], e.g. X25519:prime256v1:secp384r1)");
                return List.of();
            }
            out.add(name);
        }
        openSslOnly.put("ssl_ecdh_curve", d.position());
        return out;
    }

    /** OpenSSL's {@code Options} list: the ticket switch is read, server preference is what proxyline always does. */
    private boolean options(Directive d, boolean tickets, Map<String, Position> openSslOnly) {
        boolean out = tickets;
        for (String option : d.arg(1).value().split(",")) {
            String o = option.trim();
            if (o.equalsIgnoreCase("SessionTicket")) {
                out = true;
            } else if (o.equalsIgnoreCase("-SessionTicket")) {
                out = false;
                openSslOnly.put("ssl_session_tickets off", d.position());
            } else if (!o.equalsIgnoreCase("ServerPreference")) {
                r.error(d.arg(1), "\"ssl_conf_command Options " + o + "\" is not supported: proxyline reads only "
                        + "SessionTicket, -SessionTicket and ServerPreference (BoringSSL has no other of OpenSSL's options "
                        + "as a switch)");
            }
        }
        if (out) openSslOnly.remove("ssl_session_tickets off");
        return out;
    }

    private ClientVerify.File file(Directive d) {
        return new ClientVerify.File(d.arg(0).value(), d.arg(0).position());
    }
}
