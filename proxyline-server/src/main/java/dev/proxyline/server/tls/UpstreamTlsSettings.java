package dev.proxyline.server.tls;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code proxy_ssl_*} settings make at startup: the client engine context and, with {@code proxy_ssl_verify on},
 * the check of the upstream's chain. Built once per distinct setting.
 *
 * @param context the context new upstream connections' engines come from
 * @param check   the chain check; empty without {@code proxy_ssl_verify}
 */
public record UpstreamTlsSettings(SslContext context, Optional<ChainVerifier> check) {
    public UpstreamTlsSettings {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(check, "check");
    }
}
