package dev.proxyline.config;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads {@link ClientConnection} from a scope, and judges {@code ssl_early_data}, which has nothing to set: proxyline
 * never offers TLS 1.3 early data, which is what nginx's {@code off} (its default) means.
 */
final class ClientConnectionReader {
    /** nginx's connection_pool_size on 64-bit systems, the least large_client_header_buffers size it takes. */
    private static final int CONNECTION_POOL_SIZE = 512;

    private final ArgReader r;

    ClientConnectionReader(ArgReader r) {
        this.r = r;
    }

    ClientConnection read(Scope s) {
        s.get("ssl_early_data").ifPresent(this::checkEarlyData);
        ClientConnection d = ClientConnection.DEFAULTS;
        return new ClientConnection(headerBuffers(s),
                s.get("underscores_in_headers").flatMap(x -> r.flag(x, x.arg(0))).orElse(d.underscoresInHeaders()),
                s.get("ignore_invalid_headers").flatMap(x -> r.flag(x, x.arg(0))).orElse(d.ignoreInvalidHeaders()),
                s.get("reset_timedout_connection").flatMap(x -> r.flag(x, x.arg(0)))
                        .orElse(d.resetTimedoutConnection()),
                s.get("http2_max_concurrent_streams")
                        .map(x -> r.intInRange(x, x.arg(0), 0, Integer.MAX_VALUE).orElse(d.http2MaxConcurrentStreams()))
                        .orElse(d.http2MaxConcurrentStreams()),
                s.get("ssl_buffer_size").map(x -> size(x, 1).orElse(d.sslBufferSize())).orElse(d.sslBufferSize()));
    }

    private ClientConnection.HeaderBuffers headerBuffers(Scope s) {
        ClientConnection.HeaderBuffers d = ClientConnection.HeaderBuffers.DEFAULTS;
        int first = s.get("client_header_buffer_size").map(x -> size(x, 1).orElse(d.firstSize())).orElse(d.firstSize());
        int number = d.largeNumber();
        int size = d.largeSize();
        if (s.get("large_client_header_buffers").isPresent()) {
            Directive x = s.get("large_client_header_buffers").get();
            number = r.intInRange(x, x.arg(0), 1, Integer.MAX_VALUE).orElse(number);
            OptionalLong large = r.size(x, x.arg(1));
            if (large.isPresent() && large.getAsLong() < CONNECTION_POOL_SIZE) {
                r.error(x.arg(1), "the \"large_client_header_buffers\" size must be equal to or greater than "
                        + "\"connection_pool_size\" (" + CONNECTION_POOL_SIZE + ")");
            } else if (large.isPresent()) {
                size = bounded(x, x.arg(1), large.getAsLong()).orElse(size);
            }
        }
        return new ClientConnection.HeaderBuffers(first, number, size);
    }

    /** A size of at least {@code min} bytes that an int holds. */
    private OptionalInt size(Directive d, int min) {
        OptionalLong v = r.size(d, d.arg(0));
        if (v.isEmpty()) return OptionalInt.empty();
        if (v.getAsLong() < min) {
            r.error(d.arg(0), "invalid size \"" + d.arg(0).value() + "\" in \"" + d.name() + "\" directive (expected at "
                    + "least " + min + ")");
            return OptionalInt.empty();
        }
        return bounded(d, d.arg(0), v.getAsLong());
    }

    private OptionalInt bounded(Directive d, Argument a, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            r.error(a, "size \"" + a.value() + "\" in \"" + d.name() + "\" directive is too large (at most 2g - 1)");
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) bytes);
    }

    private void checkEarlyData(Directive d) {
        r.flag(d, d.arg(0)).filter(on -> on).ifPresent(on -> r.error(d.arg(0), "\"ssl_early_data on\" is not "
                + "supported: TLS 1.3 early data (0-RTT) is not offered by proxyline's TLS engines (the JDK's has none, "
                + "and Netty does not expose BoringSSL's); \"off\" is accepted"));
    }
}
