package dev.proxyline.server.tls;

import dev.proxyline.config.TlsHandshake;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's {@link TlsHandshake} with its files resolved against the configuration directory.
 *
 * @param options    the settings as configured
 * @param dhparam    {@code ssl_dhparam}
 * @param ticketKeys {@code ssl_session_ticket_key}, the encrypting key first
 */
public record ServerHandshake(TlsHandshake options, Optional<PemFile> dhparam, List<PemFile> ticketKeys) {
    /** nginx's defaults. */
    public static final ServerHandshake DEFAULTS = new ServerHandshake(TlsHandshake.DEFAULTS, Optional.empty(),
            List.of());

    public ServerHandshake {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(dhparam, "dhparam");
        ticketKeys = List.copyOf(ticketKeys);
    }
}
