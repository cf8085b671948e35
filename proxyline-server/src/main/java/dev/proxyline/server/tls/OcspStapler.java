package dev.proxyline.server.tls;

import dev.proxyline.server.runtime.dns.DnsLookups;
import dev.proxyline.server.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one certificate's staple fresh from its OCSP responder. As in nginx, nothing is asked before the first
 * handshake of a client that asks for the status: that one starts the fetches (and gets no staple), later ones get
 * the response once it has passed {@link OcspExchange}'s checks. Everything runs on the event loop of that first
 * handshake, so it ends with the server's loops: the responder's name is looked up with the server's
 * {@code resolver} for each request (without one, nginx's warning, and the addresses found at start), then the
 * request goes out as nginx's GET ({@link OcspGetRequest}) to the first address.
 */
final class OcspStapler implements Staples.Source {
    private static final System.Logger LOG = System.getLogger(OcspStapler.class.getName());
    /** nginx's fixed timeout for a stapling request. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final OcspExchange exchange;
    private final OcspResponderUrl responder;
    /** The addresses of the responder's name found at start, or its literal address. */
    private final List<InetAddress> atStart;
    private final Optional<DnsLookups> resolver;
    private final boolean verify;
    private final List<X509Certificate> trusted;
    private final String certificate;
    private final Clock clock;
    private final StapleCache cache;
    private final AtomicBoolean started = new AtomicBoolean();

    OcspStapler(OcspExchange exchange, OcspResponderUrl responder, List<InetAddress> atStart,
                Optional<DnsLookups> resolver, boolean verify, List<X509Certificate> trusted, String certificate,
                Clock clock) {
        if (atStart.isEmpty()) throw new IllegalArgumentException("no address for " + responder.host());
        this.exchange = exchange;
        this.responder = responder;
        this.atStart = List.copyOf(atStart);
        this.resolver = resolver;
        this.verify = verify;
        this.trusted = List.copyOf(trusted);
        this.certificate = certificate;
        this.clock = clock;
        this.cache = new StapleCache(clock);
    }

    @Override
    public byte[] staple(Channel connection) {
        if (!started.get() && started.compareAndSet(false, true)) {
            run(connection.eventLoop(), Transport.of(connection));
        }
        return cache.current();
    }

    private void run(EventLoop loop, Transport transport) {
        cache.expire();
        if (!cache.refreshDue()) {
            schedule(loop, transport);
            return;
        }
        OcspQuery.ask(loop, transport, responder, atStart, resolver, exchange.request(), TIMEOUT,
                warning -> log(warning, Optional.empty()))
                .addListener((Future<OcspQuery.Result> done) -> answered(loop, transport, done.getNow()));
    }

    private void answered(EventLoop loop, Transport transport, OcspQuery.Result result) {
        if (result instanceof OcspQuery.Failure failure) {
            failed(loop, transport, failure.problem(), failure.peer());
            return;
        }
        OcspQuery.Body body = (OcspQuery.Body) result;
        OcspExchange.Outcome outcome = exchange.check(body.der(), clock.instant(), verify, trusted);
        if (outcome instanceof OcspExchange.Refused refused) {
            failed(loop, transport, refused.reason(), Optional.of(body.peer()));
            return;
        }
        OcspExchange.Staple staple = (OcspExchange.Staple) outcome;
        cache.accepted(staple.der(), staple.nextUpdate());
        schedule(loop, transport);
    }

    private void failed(EventLoop loop, Transport transport, String problem, Optional<String> peer) {
        cache.failed();
        log(problem, peer);
        schedule(loop, transport);
    }

    /** nginx's words: what happened, then while what, the responder, the address asked and the certificate. */
    private void log(String problem, Optional<String> peer) {
        LOG.log(Level.WARNING, problem + " while requesting certificate status, responder: " + responder.host()
                + peer.map(p -> ", peer: " + p).orElse("") + ", certificate: \"" + certificate + "\"");
    }

    private void schedule(EventLoop loop, Transport transport) {
        try {
            loop.schedule(() -> run(loop, transport), cache.untilNextRun().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the server is stopping: nobody is left to staple for
        }
    }
}
