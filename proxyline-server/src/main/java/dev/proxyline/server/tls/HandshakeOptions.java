package dev.proxyline.server.tls;

import dev.proxyline.config.TlsHandshake;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a server's {@link ServerHandshake} on its engine context: the curves (BoringSSL's group list), the DHE suites
 * (offered only with {@code ssl_dhparam}, as nginx does), the session ticket keys, and tickets off.
 *
 * <p>Netty has no switch for tickets off: see {@link NoTicketContext}.
 */
final class HandshakeOptions {
    private static final String DHE = "TLS_DHE_";

    private HandshakeOptions() {
    }

    /**
     * Reads the files and refuses what the JDK's engine cannot honour, every problem at once, each naming where its
     * directive is; the ticket keys for {@link #apply}.
     */
    static List<OpenSslSessionTicketKey> prepare(ServerHandshake handshake, boolean openSsl) throws TlsSetupException {
        List<String> problems = new ArrayList<>();
        if (!openSsl) {
            handshake.options().openSslOnly().forEach((name, at) -> problems.add(at + ": \"" + name + "\" needs the "
                    + "OpenSSL engine (netty-tcnative), which did not load on this machine; the JDK's engine has no "
                    + "switch for it"));
        }
        if (handshake.dhparam().isPresent()) {
            try {
                DhParamFile.check(handshake.dhparam().get());
            } catch (TlsSetupException e) {
                problems.addAll(e.problems());
            }
        }
        try {
            List<OpenSslSessionTicketKey> keys = TicketKeyFiles.read(handshake.ticketKeys());
            if (problems.isEmpty()) return keys;
        } catch (TlsSetupException e) {
            problems.addAll(e.problems());
        }
        throw new TlsSetupException(problems);
    }

    /** nginx offers DHE suites only with DH parameters; BoringSSL has none, the JDK uses its own groups. */
    static List<String> suites(ServerHandshake handshake, List<String> legacySuites) {
        if (handshake.dhparam().isPresent()) return legacySuites;
        return legacySuites.stream().filter(s -> !s.startsWith(DHE)).toList();
    }

    /** What has to be set before the context is built. */
    static void configure(SslContextBuilder builder, ServerHandshake handshake, boolean openSsl) {
        List<String> curves = handshake.options().curves();
        if (openSsl && !curves.isEmpty()) builder.option(OpenSslContextOption.GROUPS, curves.toArray(String[]::new));
    }

    /** The problem, by the place of the directive, when BoringSSL did not take the curves. */
    static Optional<String> curvesProblem(ServerHandshake handshake, Exception e) {
        TlsHandshake options = handshake.options();
        if (options.curves().isEmpty() || e.getMessage() == null || !e.getMessage().startsWith("failed to set curves")) {
            return Optional.empty();
        }
        return Optional.of(options.openSslOnly().get("ssl_ecdh_curve") + ": \"ssl_ecdh_curve " + String.join(":",
                options.curves()) + "\" names a curve BoringSSL does not know (it has X25519, prime256v1 or P-256, "
                + "secp384r1 or P-384, secp521r1 or P-521)");
    }

    /**
     * The built context with what has to be set on it; {@code keys} as {@link #prepare} read them. Tickets off
     * wraps it (see {@link NoTicketContext}).
     */
    static SslContext apply(SslContext context, ServerHandshake handshake, List<OpenSslSessionTicketKey> keys) {
        if (!(context instanceof ReferenceCountedOpenSslContext openSsl)) return context;
        if (!keys.isEmpty()) openSsl.sessionContext().setTicketKeys(keys.toArray(OpenSslSessionTicketKey[]::new));
        return handshake.options().tickets() ? context : new NoTicketContext(context);
    }
}
