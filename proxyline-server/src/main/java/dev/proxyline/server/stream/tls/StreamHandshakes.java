package dev.proxyline.server.stream.tls;

import dev.proxyline.server.http.connection.TlsHandshakes;
import dev.proxyline.server.http.connection.TlsHandshakes.Failure;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * The handshake outcomes of one stream server's {@code ssl} listens, counted by reason, and the words of
 * nginx's error log for each failure it logs (the caller adds the client and the server, as nginx does).
 */
public final class StreamHandshakes {
    private final LongAdder completed = new LongAdder();
    private final LongAdder[] failed = new LongAdder[Failure.values().length];
    private final LongAdder certificateRefused = new LongAdder();

    public StreamHandshakes() {
        for (int i = 0; i < failed.length; i++) failed[i] = new LongAdder();
    }

    /** Counts completed handshakes, those whose client certificate was then refused included. */
    public long completed() {
        return completed.sum();
    }

    /** Counts handshakes that failed for {@code reason}. */
    public long failed(Failure reason) {
        return failed[reason.ordinal()].sum();
    }

    /** Counts sessions ended after the handshake by {@code ssl_verify_client}. */
    public long certificateRefused() {
        return certificateRefused.sum();
    }

    void completed(boolean certificateAccepted) {
        completed.increment();
        if (!certificateAccepted) certificateRefused.increment();
    }

    /** Counts a failure and returns nginx's words for it, if nginx logs it. */
    Optional<String> failed(Throwable cause) {
        Failure reason = TlsHandshakes.classify(cause);
        failed[reason.ordinal()].increment();
        return switch (reason) {
            // nginx logs nothing for a client that did not finish in time, not even at level info.
            case TIMEOUT -> Optional.empty();
            case CLOSED -> Optional.of("peer closed connection in SSL handshake while SSL handshaking");
            case NOT_TLS -> Optional.of("SSL_do_handshake() failed (not a TLS record: plain text to an ssl port?) "
                    + "while SSL handshaking");
            case REFUSED -> Optional.of("SSL_do_handshake() failed (" + innermostSslMessage(cause)
                    + ") while SSL handshaking");
        };
    }

    private static String innermostSslMessage(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null) message = t.getMessage();
        }
        return message;
    }
}
