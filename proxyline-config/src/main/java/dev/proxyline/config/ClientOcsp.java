package dev.proxyline.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The OCSP check of client certificates of an http server: nginx's {@code ssl_ocsp}, {@code ssl_ocsp_responder} and
 * {@code ssl_ocsp_cache}. Part of {@link ClientVerify}: it only ever looks at a certificate that verified.
 *
 * @param mode      {@code ssl_ocsp}
 * @param responder {@code ssl_ocsp_responder}: the responder's URL as written, instead of each certificate's own
 * @param cache     {@code ssl_ocsp_cache}: where answers are kept; empty for {@code off} (every connection asks)
 * @param resolver  the server's {@code resolver}: responder names are looked up with it for each request
 */
public record ClientOcsp(Mode mode, Optional<Stapling.Responder> responder, Optional<Cache> cache,
                         Optional<Resolver> resolver) {
    /** nginx's defaults: off, no cache. */
    public static final ClientOcsp OFF = new ClientOcsp(Mode.OFF, Optional.empty(), Optional.empty(), Optional.empty());

    /** The values of {@code ssl_ocsp}. */
    public enum Mode {
        OFF,
        /** The client's certificate and every intermediate certificate of its chain are checked. */
        ON,
        /** Only the client's own certificate is checked. */
        LEAF
    }

    /**
     * {@code ssl_ocsp_cache shared:NAME:SIZE}: servers naming the same zone share its answers.
     *
     * @param size the zone's size in bytes, as written
     */
    public record Cache(String name, long size) {
        public Cache {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || size <= 0) throw new IllegalArgumentException("cache " + name + ":" + size);
        }
    }

    public ClientOcsp {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(responder, "responder");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(resolver, "resolver");
    }
}
