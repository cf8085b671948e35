package dev.proxyline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code ssl_preread} with the {@code preread_buffer_size} and {@code preread_timeout} that bound it, nginx's
 * defaults: off, 16k, 30s.
 *
 * @param enabled    read the client's TLS ClientHello before choosing the upstream
 * @param bufferSize how many bytes the preread may hold; a hello not complete by then ends the session with 400
 * @param timeout    how long the whole preread may take; the session then ends with 200, as in nginx
 */
public record SslPreread(boolean enabled, int bufferSize, Duration timeout) {
    public static final int DEFAULT_BUFFER_SIZE = 16 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final SslPreread OFF = new SslPreread(false, DEFAULT_BUFFER_SIZE, DEFAULT_TIMEOUT);

    public SslPreread {
        Objects.requireNonNull(timeout, "timeout");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("preread buffer size " + bufferSize + " (expected at least 1)");
        }
    }
}
