package dev.proxyline.protocol.netty;

import dev.proxyline.protocol.DecodeResult;
import dev.proxyline.protocol.InetLiterals;
import dev.proxyline.protocol.ProxyHeader;
import dev.proxyline.protocol.ProxyHeaderDecoder;
import dev.proxyline.protocol.Reason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a PROXY listener makes of a connection's first bytes, and how it counts and logs the outcome: the
 * part of receiving a header that does not depend on how the bytes are read, shared by the pipeline's
 * {@link ProxyHeaderReceiver} and readers on raw sockets. One per listener (see
 * {@link ProxyReceiveStage#reception()}); thread-safe.
 *
 * <p>A reader asks {@link #beforeReading} once, {@link #judge} after each read, and ends the connection
 * with {@link #accept} or {@link #refuse}; {@link #late} and {@link #endOfInput} say why a connection
 * without a decided header ends.
 */
public final class HeaderReception {

    /** What a reader does with a connection's bytes so far. */
    public sealed interface Verdict permits Accept, PassOn, Refuse, Wait {
    }

    /** A complete header, the first {@code complete.length()} bytes received; the bytes after it are the application's. */
    public record Accept(DecodeResult.Complete complete) implements Verdict {
        public Accept {
            Objects.requireNonNull(complete, "complete");
        }
    }

    /** From an {@link HeaderPolicy#OPTIONAL} source, bytes that are no header at all: all of them are passed on. */
    public record PassOn() implements Verdict {
    }

    /** The connection is refused; {@code detail} says what was wrong (for the log line). */
    public record Refuse(Reason reason, String detail) implements Verdict {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The bytes so far could still become a header: read more. */
    public record Wait() implements Verdict {
    }

    private static final PassOn PASS_ON = new PassOn();
    private static final Wait WAIT = new Wait();
    private static final Refuse UNTRUSTED =
            new Refuse(Reason.UNTRUSTED, "source not allowed on this PROXY listener (policy REJECT)");

    private final ReceiveSettings settings;
    private final ProxyHeaderDecoder decoder;
    private final ProxyCounters counters;
    private final RejectionLog log;
    private final OncePerSourceLog diagnoses;

    /**
     * @param log       refusals, rate-limited
     * @param diagnoses the misconfiguration behind an HTTP request or a TLS ClientHello where the header
     *                  belongs, once per source
     */
    public HeaderReception(ReceiveSettings settings, ProxyCounters counters, RejectionLog log,
                           OncePerSourceLog diagnoses) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.log = Objects.requireNonNull(log, "log");
        this.diagnoses = Objects.requireNonNull(diagnoses, "diagnoses");
        this.decoder = new ProxyHeaderDecoder(settings.maxHeaderLength());
    }

    /** The decoder of this listener's maximum header length; give it every byte received so far. */
    public ProxyHeaderDecoder decoder() {
        return decoder;
    }

    public ReceiveSettings settings() {
        return settings;
    }

    /** The policy for a connection from {@code peer}; a peer without an IP address gets the default. */
    public HeaderPolicy policyFor(SocketAddress peer) {
        return settings.trust().policyFor(peer instanceof InetSocketAddress inet ? inet.getAddress() : null);
    }

    /** A refusal before any byte is read: for a {@link HeaderPolicy#REJECT} source. */
    public Optional<Refuse> beforeReading(HeaderPolicy policy) {
        return policy == HeaderPolicy.REJECT ? Optional.of(UNTRUSTED) : Optional.empty();
    }

    /** What {@code result}, the decoder's answer to all bytes received so far, means under {@code policy}. */
    public Verdict judge(DecodeResult result, HeaderPolicy policy) {
        if (result instanceof DecodeResult.Complete complete) {
            return new Accept(complete);
        }
        if (result instanceof DecodeResult.Invalid invalid) {
            return policy == HeaderPolicy.OPTIONAL && isNotAHeader(invalid.reason())
                    ? PASS_ON : new Refuse(invalid.reason(), invalid.message());
        }
        return WAIT;
    }

    /** The refusal of a connection whose header is not complete at the deadline, {@code held} bytes received. */
    public Refuse late(int held) {
        return new Refuse(Reason.TIMEOUT, "no complete PROXY header within " + settings.deadline().toMillis()
                + " ms (" + held + " bytes received)");
    }

    /** The refusal of a connection whose input ended (or failed) after {@code held} bytes, before a decision. */
    public Refuse endOfInput(int held) {
        return held == 0
                ? new Refuse(Reason.EMPTY, "connection closed before any byte (expected a PROXY header)")
                : new Refuse(Reason.TRUNCATED, "connection closed after " + held + " bytes, inside the PROXY header");
    }

    /**
     * Counts a connection let through, with its header or (an OPTIONAL source's) without, and says what it
     * learned about it.
     */
    public ProxiedConnection accept(SocketAddress peer, SocketAddress local, HeaderPolicy policy,
                                    Optional<ProxyHeader> header) {
        header.ifPresentOrElse(counters::accepted, counters::withoutHeader);
        return ProxiedConnection.of(peer, local, policy, header);
    }

    /**
     * Counts a refused connection and logs it: a rate-limited line, or for an HTTP request or a TLS
     * ClientHello the diagnosis, once per source. The caller closes the connection.
     */
    public void refuse(Refuse refusal, SocketAddress peer, SocketAddress local) {
        Reason reason = refusal.reason();
        counters.refused(reason);
        if (reason == Reason.NOT_PROXY_HTTP || reason == Reason.NOT_PROXY_TLS) {
            // Not a broken header but a misconfiguration; the spec forbids guessing, so say what to check.
            diagnoses.report(peer, "listener " + format(local) + ": expected a PROXY protocol header from "
                    + format(peer) + " but got " + (reason == Reason.NOT_PROXY_HTTP ? "an HTTP request" : "a TLS ClientHello")
                    + "; is the balancer sending it?");
        } else {
            log.refused("PROXY listener refused " + describe(peer, local) + ": " + reason.label() + ": "
                    + refusal.detail());
        }
    }

    /** Counts and logs a connection closed because of a fault on this side, such as a decoder exception. */
    public void internalError(SocketAddress peer, SocketAddress local, RuntimeException cause) {
        counters.internalError();
        log.internalError("PROXY listener closed " + describe(peer, local) + " after an internal error", cause);
    }

    /** {@code 192.0.2.1:80} or {@code [2001:db8::1]:80}, never a host name (no lookup, no "/" prefix). */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            String host = InetLiterals.format(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** True when the bytes are not a header at all, as opposed to a broken one. */
    private static boolean isNotAHeader(Reason reason) {
        return reason == Reason.NOT_PROXY || reason == Reason.NOT_PROXY_HTTP || reason == Reason.NOT_PROXY_TLS;
    }

    private static String describe(SocketAddress peer, SocketAddress local) {
        return "connection from " + format(peer) + " to " + format(local);
    }
}
