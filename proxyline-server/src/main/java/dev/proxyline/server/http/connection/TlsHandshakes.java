package dev.proxyline.server.http.connection;

import dev.proxyline.protocol.netty.ProxiedConnection;
import dev.proxyline.protocol.netty.RejectionLog;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;

/**
 * The handshake outcomes of one listener, counted by reason, with one rate-limited line per failure naming
 * the peer (and the client the PROXY header announced) and never a stack trace: clients cause these.
 */
public final class TlsHandshakes {
    /** Why a handshake did not complete. */
    public enum Failure {
        /** No ClientHello or no finished handshake within {@code client_header_timeout}. */
        TIMEOUT,
        /** The bytes were not TLS at all, such as plain HTTP sent to an {@code ssl} port. */
        NOT_TLS,
        /** The client closed the connection during the handshake. */
        CLOSED,
        /** The engine refused the handshake: no common protocol or cipher, bad record, certificate alert. */
        REFUSED
    }

    private final RejectionLog log;
    private final LongAdder completed = new LongAdder();
    private final LongAdder[] failed = new LongAdder[Failure.values().length];

    public TlsHandshakes(RejectionLog log) {
        this.log = Objects.requireNonNull(log, "log");
        for (int i = 0; i < failed.length; i++) failed[i] = new LongAdder();
    }

    /** Counts completed handshakes. */
    public long completed() {
        return completed.sum();
    }

    /** Counts handshakes that failed for {@code reason}. */
    public long failed(Failure reason) {
        return failed[reason.ordinal()].sum();
    }

    void handshakeCompleted() {
        completed.increment();
    }

    void handshakeFailed(SocketAddress peer, Optional<ProxiedConnection> proxied, Throwable cause) {
        Failure reason = classify(cause);
        failed[reason.ordinal()].increment();
        String client = proxied.filter(p -> !p.client().equals(p.peer())).map(p -> " (client " + p.client() + ")").orElse("");
        log.refused("TLS handshake with " + peer + client + " failed: " + describe(reason, cause));
    }

    /** Why {@code cause} ended a handshake, looking through its causes. */
    public static Failure classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) return Failure.TIMEOUT;
            if (t instanceof NotSslRecordException) return Failure.NOT_TLS;
            if (t instanceof ClosedChannelException) return Failure.CLOSED;
        }
        return Failure.REFUSED;
    }

    private static String describe(Failure reason, Throwable cause) {
        return switch (reason) {
            case TIMEOUT -> "no complete handshake within client_header_timeout";
            case NOT_TLS -> "not a TLS record (plain HTTP to an ssl port?)";
            case CLOSED -> "the client closed the connection";
            case REFUSED -> innermostSslMessage(cause);
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
